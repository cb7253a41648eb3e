import { readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log';
import { parseKeyList, type ApiKeyList, type ApiKeyRecord } from './apiKeys';

/**
 * The keys a server accepts: those of API_KEYS (fixed for the process) and those of API_KEYS_FILE, which is
 * read again when it changes (its modification time and size are checked at most once per `recheckMs`), so a
 * key created or revoked with `npm run keys` takes effect on every instance sharing the file within a second,
 * without a restart. A file that becomes invalid keeps the last valid keys and is reported in the log at
 * each check: refusing every key would stop the service because of a typo.
 */
export interface KeyStore {
  lookup(id: string): ApiKeyRecord | undefined;
  /** Re-reads the file when it changed; the authenticator calls it before each lookup. */
  refresh(): Promise<void>;
  /** How many keys are configured (revoked included), for the start-up log. */
  size(): number;
}

export interface KeySources {
  API_KEYS?: string;
  API_KEYS_FILE?: string;
}

const RECHECK_MS = 1000;

/** Reads both sources once; throws KeyListError (naming the variable or file) when either is invalid. */
export function createKeyStore(sources: KeySources, log: Logger, recheckMs = RECHECK_MS): KeyStore {
  const fromEnv = sources.API_KEYS ? parseKeyList(sources.API_KEYS, 'API_KEYS').keys : [];
  const file = sources.API_KEYS_FILE;
  let fromFile: ApiKeyRecord[] = [];
  let seen = '';
  let checkedAt = -Infinity;
  let checking: Promise<void> | null = null;
  let byId = new Map<string, ApiKeyRecord>();
  const index = () => {
    // A key in both places: the file wins, since that is where `npm run keys -- revoke` writes.
    byId = new Map([...fromEnv, ...fromFile].map((key) => [key.id, key]));
  };
  if (file) {
    const stats = statSync(file, { throwIfNoEntry: false });
    if (stats) {
      fromFile = parseKeyList(readFileSync(file, 'utf8'), `API_KEYS_FILE ${file}`).keys;
      seen = `${stats.ino}:${stats.mtimeMs}:${stats.size}`;
    } else {
      log.warn('API_KEYS_FILE does not exist yet; no keys from it until it does', { file });
    }
    checkedAt = performance.now();
  }
  index();

  const check = async (name: string) => {
    const stats = await stat(name).catch(() => null);
    const signature = stats ? `${stats.ino}:${stats.mtimeMs}:${stats.size}` : 'missing';
    if (signature === seen) return;
    try {
      fromFile = stats ? parseKeyList(await readFile(name, 'utf8'), `API_KEYS_FILE ${name}`).keys : [];
      seen = signature;
      index();
      log.info('API keys reloaded', { file: name, keys: fromFile.length });
    } catch (error) {
      log.error('API_KEYS_FILE is invalid; the keys read before stay in use', {
        file: name,
        error: (error as Error).message,
      });
    }
  };

  return {
    lookup: (id) => byId.get(id),
    size: () => byId.size,
    refresh() {
      if (!file || performance.now() - checkedAt < recheckMs) return Promise.resolve();
      checkedAt = performance.now();
      checking ??= check(file).finally(() => (checking = null));
      return checking;
    },
  };
}

/** The key file's records, or none when the file does not exist yet (the CLI's first `create`). */
export async function readKeyFile(file: string): Promise<ApiKeyList> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return text === null ? { keys: [] } : parseKeyList(text, file);
}

/**
 * Replaces the key file in one step (write a temporary file beside it, then rename), so a server reading it
 * never sees half a file; readable by its owner only, though it holds hashes and no key.
 */
export async function writeKeyFile(file: string, list: ApiKeyList): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(list, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

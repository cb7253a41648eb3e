/**
 * `npm run keys -- <command>`: API keys for the server (src/auth/apiKeys.ts). Arguments are read with node's
 * own util.parseArgs (strict: an unknown option is an error): three commands and four options need no
 * library. The key is printed once, on stdout alone (so `$(npm run -s keys -- create …)` captures just it);
 * only its SHA-256 is stored.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { ApiKeyRecord, generateKey, KeyListError, type ApiKeyList } from './apiKeys';
import { readKeyFile, writeKeyFile } from './keyStore';
import { ROLES, type Role } from './principal';

const USAGE = `Usage: npm run keys -- <command> [options]

Commands:
  create --name <label> --role <${ROLES.join('|')}>   make a key; prints it once, stores its hash
  list                                        the keys in the file (ids, names, roles, dates; never keys)
  revoke <key id or name>                     refuse a key from now on (its record stays, marked revoked)

Options:
  --file <path>   the key file (default: API_KEYS_FILE). Without one, \`create\` prints the API_KEYS value
                  to set instead of writing a file.
  --json          \`list\` as JSON
  -h, --help      this help

A running server re-reads the key file within a second of a change: no restart is needed.
`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  now?: () => Date;
}

/** Runs one command; resolves to the exit code (0 done, 1 failed, 2 wrong usage). */
export async function runKeysCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        role: { type: 'string' },
        file: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  let file = values.file;
  try {
    file ??= loadConfig(io.env).API_KEYS_FILE;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`${error.message}\n`);
    return 2;
  }
  try {
    switch (command) {
      case 'create':
        return await create(values.name, values.role, file, io);
      case 'list':
        return await list(file, values.json ?? false, io);
      case 'revoke':
        return await revoke(rest[0], file, io);
      default:
        io.err(`Unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof KeyListError) {
      io.err(`The key file is invalid: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function create(
  name: string | undefined,
  role: string | undefined,
  file: string | undefined,
  io: CliIo,
) {
  if (!name?.trim()) {
    io.err('create needs --name <label>, e.g. --name alice.\n');
    return 2;
  }
  if (!ROLES.includes(role as Role)) {
    io.err(`create needs --role, one of ${ROLES.join(', ')}; got ${JSON.stringify(role ?? null)}.\n`);
    return 2;
  }
  const { key, record } = generateKey(name.trim(), role as Role, io.now?.() ?? new Date());
  if (file) {
    const existing = await readKeyFile(file);
    await writeKeyFile(file, { keys: [...existing.keys, record] });
    io.err(`Created key ${record.id} (${record.name}, ${record.role}); its hash is stored in ${file}.\n`);
  } else {
    io.err(
      `Created key ${record.id} (${record.name}, ${record.role}). No --file or API_KEYS_FILE: set this on the ` +
        `server (with any other keys in the same list):\nAPI_KEYS='${JSON.stringify({ keys: [record] })}'\n`,
    );
  }
  io.err('The key is shown once, below; it cannot be recovered, only revoked and replaced.\n');
  io.out(`${key}\n`);
  return 0;
}

async function list(file: string | undefined, json: boolean, io: CliIo) {
  if (!file) {
    io.err('list needs --file <path> or API_KEYS_FILE.\n');
    return 2;
  }
  const { keys } = await readKeyFile(file);
  const shown = keys.map(({ hash: _hash, ...rest }) => rest);
  if (json) {
    io.out(`${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  }
  if (keys.length === 0) io.err(`No keys in ${file}.\n`);
  for (const key of shown) {
    const state = key.revokedAt ? `revoked ${key.revokedAt}` : 'active';
    io.out(`${key.id}  ${key.role.padEnd(6)}  ${key.name}  created ${key.createdAt ?? '?'}  ${state}\n`);
  }
  return 0;
}

async function revoke(which: string | undefined, file: string | undefined, io: CliIo) {
  if (!file || !which) {
    io.err('revoke needs a key id or name, and --file <path> or API_KEYS_FILE.\n');
    return 2;
  }
  const list: ApiKeyList = await readKeyFile(file);
  const matches = list.keys.filter((k) => k.id === which || (k.name === which && k.revokedAt === undefined));
  if (matches.length === 0) {
    io.err(`No active key has the id or name ${JSON.stringify(which)} in ${file}.\n`);
    return 1;
  }
  if (matches.length > 1) {
    io.err(
      `Several active keys are named ${JSON.stringify(which)}: ${matches.map((k) => k.id).join(', ')}. Give an id.\n`,
    );
    return 1;
  }
  const target = matches[0]!;
  if (target.revokedAt) {
    io.err(`Key ${target.id} (${target.name}) was already revoked at ${target.revokedAt}.\n`);
    return 0;
  }
  const revokedAt = (io.now?.() ?? new Date()).toISOString();
  const keys = list.keys.map((k) => (k.id === target.id ? ApiKeyRecord.parse({ ...k, revokedAt }) : k));
  await writeKeyFile(file, { keys });
  io.err(`Revoked key ${target.id} (${target.name}, ${target.role}); servers refuse it within a second.\n`);
  return 0;
}

if (require.main === module) {
  runKeysCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
  }).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensurePassword, passwordFile, readPassword, runningNeo4j } from '../dataFolder';

describe('Embedded Neo4j data folder: password and in-use marker', () => {
  let parent: string;
  let dataDir: string;
  beforeEach(() => {
    parent = mkdtempSync(path.join(os.tmpdir(), 'data-folder-'));
    dataDir = path.join(parent, 'neo4j');
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('creates a random password on first use, in a 0600 file inside a 0700 folder', () => {
    const password = ensurePassword(dataDir);
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(passwordFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('keeps the password of a folder across starts, and gives other folders their own', () => {
    const first = ensurePassword(dataDir);
    expect(ensurePassword(dataDir)).toBe(first);
    expect(readPassword(dataDir)).toBe(first);
    expect(ensurePassword(path.join(parent, 'other'))).not.toBe(first);
  });

  it('takes read access away from others when the file or the folder was opened up', () => {
    ensurePassword(dataDir);
    chmodSync(passwordFile(dataDir), 0o644);
    chmodSync(dataDir, 0o755);
    ensurePassword(dataDir);
    expect(statSync(passwordFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('refuses an empty password file, naming it', () => {
    ensurePassword(dataDir);
    writeFileSync(passwordFile(dataDir), '\n');
    expect(() => ensurePassword(dataDir)).toThrow(`The password file ${passwordFile(dataDir)} is empty`);
  });

  it('has no password for a folder never started', () => {
    expect(readPassword(dataDir)).toBeNull();
  });

  it('treats a marker left by a killed launcher, or naming another program, as stale', () => {
    ensurePassword(dataDir);
    const marker = path.join(dataDir, 'running.json');
    writeFileSync(marker, JSON.stringify({ pid: 2 ** 22 + 1, bolt: 'bolt://127.0.0.1:7687' }));
    expect(runningNeo4j(dataDir)).toBeNull();
    // This Jest process is alive but is not a launcher (a pid reused after a crash looks like this).
    writeFileSync(marker, JSON.stringify({ pid: process.pid, bolt: 'bolt://127.0.0.1:7687' }));
    expect(runningNeo4j(dataDir)).toBeNull();
    writeFileSync(marker, '{ not json');
    expect(runningNeo4j(dataDir)).toBeNull();
    expect(readFileSync(marker, 'utf8')).toBe('{ not json');
  });
});

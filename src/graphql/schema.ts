import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config';

/** The public contract: every .graphql file under schema/, in name order. */
export function loadTypeDefs(folder = path.join(PROJECT_ROOT, 'schema')): string {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(path.join(folder, f), 'utf8'))
    .join('\n');
}

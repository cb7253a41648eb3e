import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from '../../db/migrations';
import { NODE_SECTIONS, RELATIONSHIP_SECTIONS } from '../../seed/storage';
import {
  LABELS,
  RECORD_RELATIONSHIP_TYPES,
  REFERENCE_RELATIONSHIP_TYPES,
  RELATIONSHIP_TYPES,
} from '../vocabulary';

const docs = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'graph-model.md'), 'utf8');
/** The backquoted names in the first column of the docs' tables. */
const documented = new Set(
  [...docs.matchAll(/^\|\s*([^|]+?)\s*\|/gm)].flatMap((m) =>
    [...(m[1] ?? '').matchAll(/`([A-Za-z_]+)`/g)].map((n) => n[1]),
  ),
);

describe('records: one vocabulary for the graph', () => {
  it.each([...LABELS])('documents the label %s in docs/graph-model.md', (label) => {
    expect(documented).toContain(label);
  });

  it.each([...RELATIONSHIP_TYPES])('documents the relationship type %s in docs/graph-model.md', (type) => {
    expect(documented).toContain(type);
  });

  it('documents no relationship type the vocabulary does not have', () => {
    const upperCase = [...documented].filter((name): name is string => !!name && /^[A-Z_]+$/.test(name));
    expect(upperCase.filter((name) => !(RELATIONSHIP_TYPES as readonly string[]).includes(name))).toEqual([]);
  });

  it('writes every relationship type of the vocabulary from the seed, and no other', () => {
    const written = [
      ...Object.values(RELATIONSHIP_SECTIONS).map((spec) => spec.type),
      ...Object.values(NODE_SECTIONS).flatMap((spec) => spec.links.map((link) => link.type)),
    ];
    expect(new Set(written)).toEqual(
      new Set([...RECORD_RELATIONSHIP_TYPES, ...REFERENCE_RELATIONSHIP_TYPES]),
    );
  });

  it('keeps the id of every relationship record unique within its type (an index-backed constraint)', () => {
    for (const type of RECORD_RELATIONSHIP_TYPES) {
      expect(MIGRATIONS).toContain(
        `CREATE CONSTRAINT ${type.toLowerCase()}_id_unique IF NOT EXISTS FOR ()-[r:${type}]-() REQUIRE r.id IS UNIQUE`,
      );
    }
  });
});

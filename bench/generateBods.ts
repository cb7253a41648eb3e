/**
 * Not public API: a generated BODS 0.4 package for `npm run bench:import -- --format bods`: one JSON array,
 * pretty-printed as the standard publishes its examples (what the importer reads through before its first
 * write, readWhole.ts), of `lines` statements: entities and persons first-come, then shareholdings between
 * them spread over the file (an ownership may come before the parties it joins, as the two passes allow).
 * Streamed with backpressure: memory stays flat whatever `lines`.
 */
import { createWriteStream, renameSync } from 'node:fs';
import { once } from 'node:events';
import { drawKind, prng } from './generateOwnershipGraph';

/** The mix of a generated package, by statement: mostly relationships, the parties they join. */
const MIX = { entity: 0.25, person: 0.06 };
const COUNTRIES = ['GB', 'US', 'DE', 'FR', 'CY', 'RU', 'CN', 'AE', 'NL', 'CH', 'VG', 'KY'];

/** How many of a package's `lines` statements are relationships (the bench's ownership rows). */
export function bodsRelationships(lines: number): number {
  return Math.max(0, lines - bodsCounts(lines).entities - bodsCounts(lines).persons);
}

function bodsCounts(lines: number) {
  return {
    entities: Math.max(2, Math.floor(lines * MIX.entity)),
    persons: Math.max(1, Math.floor(lines * MIX.person)),
  };
}

export async function generateBodsFile(file: string, lines: number, seed: number): Promise<void> {
  const random = prng(seed);
  const { entities, persons } = bodsCounts(lines);
  const pick = (n: number) => Math.floor(random() * n);
  const out = createWriteStream(`${file}.tmp`, { highWaterMark: 1 << 20 });
  let first = true;
  const write = async (statement: object) => {
    const text = JSON.stringify(statement, null, 2).replace(/^/gm, '  ');
    if (!out.write(`${first ? '[\n' : ',\n'}${text}`)) await once(out, 'drain');
    first = false;
  };
  const left = { entity: entities, person: persons, relationship: bodsRelationships(lines) };
  const counters = { entity: 0, person: 0, relationship: 0 };
  const statement = (recordId: string, recordType: string, recordDetails: object) => ({
    statementId: `st-${recordId}`,
    statementDate: '2026-11-20',
    recordId,
    recordType,
    recordStatus: 'new',
    recordDetails: { isComponent: false, ...recordDetails },
    publicationDetails: { publicationDate: '2026-11-20', bodsVersion: '0.4', publisher: { name: 'Bench' } },
  });
  for (let i = 0; i < lines; i++) {
    const kind = drawKind(left, ['entity', 'person', 'relationship'] as const, random);
    const n = counters[kind]++;
    const country = COUNTRIES[pick(COUNTRIES.length)]!;
    if (kind === 'entity') {
      await write(
        statement(`bench-en-${n}`, 'entity', {
          entityType: { type: 'registeredEntity' },
          name: `Bench Entity ${n} Ltd`,
          jurisdiction: { code: country },
          identifiers: [{ id: String(10_000_000 + n), scheme: 'GB-COH' }],
        }),
      );
    } else if (kind === 'person') {
      await write(
        statement(`bench-pe-${n}`, 'person', {
          personType: 'knownPerson',
          names: [{ type: 'individual', fullName: `Bench Person ${n}` }],
          nationalities: [{ code: country }],
        }),
      );
    } else {
      const owner = random() < 0.8 ? `bench-en-${pick(entities)}` : `bench-pe-${pick(persons)}`;
      let subject = `bench-en-${pick(entities)}`;
      if (subject === owner) subject = `bench-en-${(Number(owner.slice('bench-en-'.length)) + 1) % entities}`;
      await write(
        statement(`bench-rel-${n}`, 'relationship', {
          subject,
          interestedParty: owner,
          interests: [
            {
              type: 'shareholding',
              directOrIndirect: 'direct',
              beneficialOwnershipOrControl: false,
              startDate: `20${10 + pick(15)}-01-01`,
              share: { exact: 1 + pick(99) },
            },
          ],
        }),
      );
    }
  }
  out.write(first ? '[]\n' : '\n]\n');
  out.end();
  await once(out, 'finish');
  renameSync(`${file}.tmp`, file);
}

import { leiEntityIncoming, relationshipIncoming } from './gleifMapping';
import type { FormatReader, Incoming } from './incoming';

/**
 * GLEIF's golden-copy CSV files (gleif.org/en/lei-data/gleif-golden-copy): the Level 1 LEI-CDF file
 * (`…-lei2-golden-copy.csv`, one legal entity a row: `LEI`, `Entity.LegalName`, `Entity.LegalJurisdiction`,
 * `Entity.LegalAddress.Country`, `Entity.HeadquartersAddress.Country` …) and the Level 2 relationship file
 * (`…-rr-golden-copy.csv`: `Relationship.StartNode.NodeID`, `Relationship.EndNode.NodeID`,
 * `Relationship.RelationshipType`, `Relationship.Period.N.*`, `Relationship.Quantifiers.N.*` …). Which of
 * the two a row belongs to is told by its columns; the files carry some 200 columns, of which only those
 * below are read. The mapping is the JSON reader's (gleifMapping.ts).
 */

type Row = Record<string, string>;

const L1 = {
  lei: 'LEI',
  legalName: 'Entity.LegalName',
  jurisdiction: 'Entity.LegalJurisdiction',
  legalAddressCountry: 'Entity.LegalAddress.Country',
  headquartersCountry: 'Entity.HeadquartersAddress.Country',
  category: 'Entity.EntityCategory',
  creationDate: 'Entity.EntityCreationDate',
} as const;

const L2 = {
  child: 'Relationship.StartNode.NodeID',
  parent: 'Relationship.EndNode.NodeID',
  type: 'Relationship.RelationshipType',
  status: 'Relationship.RelationshipStatus',
  lastUpdateDate: 'Registration.LastUpdateDate',
} as const;

/** Numbered groups of columns: Relationship.Period.1.startDate … Relationship.Period.5.periodType. */
function numbered<K extends string>(
  row: Row,
  prefix: string,
  fields: readonly K[],
): Array<Record<K, string>> {
  const out: Array<Record<K, string>> = [];
  for (let n = 1; fields.some((f) => `${prefix}.${n}.${f}` in row); n++) {
    out.push(
      Object.fromEntries(fields.map((f) => [f, row[`${prefix}.${n}.${f}`] ?? ''])) as Record<K, string>,
    );
  }
  return out;
}

export function gleifCsvReader(): FormatReader {
  return {
    rows: 'csv',
    // The ids are the JSON reader's: an entity read from either publication is the same record.
    idPrefix: 'gleif',
    refKeyOf: (lei) => `LEI:${lei}`,
    read(value, line) {
      const row = value as Row;
      if (L1.lei in row) {
        return leiEntityIncoming(
          {
            lei: row[L1.lei],
            legalName: row[L1.legalName],
            otherNames: Object.keys(row)
              .filter((k) =>
                /^Entity\.(Transliterated)?OtherEntityNames\.(Transliterated)?OtherEntityName\.\d+$/.test(k),
              )
              .map((k) => row[k]!),
            jurisdiction: row[L1.jurisdiction],
            legalAddressCountry: row[L1.legalAddressCountry],
            headquartersCountry: row[L1.headquartersCountry],
            category: row[L1.category],
            creationDate: row[L1.creationDate],
          },
          line,
          { lei: L1.lei, legalName: L1.legalName },
        );
      }
      if (L2.child in row) {
        return relationshipIncoming(
          {
            type: row[L2.type],
            child: row[L2.child],
            parent: row[L2.parent],
            periods: numbered(row, 'Relationship.Period', ['startDate', 'endDate', 'periodType'] as const),
            quantifiers: numbered(row, 'Relationship.Quantifiers', [
              'QuantifierAmount',
              'QuantifierUnits',
            ] as const).map((q) => ({ amount: q.QuantifierAmount, units: q.QuantifierUnits })),
            status: row[L2.status],
            lastUpdateDate: row[L2.lastUpdateDate],
          },
          line,
          {
            type: L2.type,
            child: L2.child,
            parent: L2.parent,
            quantifiers: 'Relationship.Quantifiers.1.QuantifierAmount',
          },
        );
      }
      return [unknownFile(line)];
    },
  };
}

function unknownFile(line: number): Incoming {
  return {
    kind: 'rejected',
    line,
    field: 'header',
    message:
      `is neither a GLEIF Level 1 file (no "${L1.lei}" column) nor a Level 2 relationship file ` +
      `(no "${L2.child}" column)`,
  };
}

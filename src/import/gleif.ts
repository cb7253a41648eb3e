import { leiEntityIncoming, relationshipIncoming, str } from './gleifMapping';
import { parseJsonLine } from './jsonLine';
import type { FormatReader, Incoming } from './incoming';

/**
 * GLEIF records in the JSON of api.gleif.org, one JSON document a line: a whole response (`{"data": [...]}`
 * or `{"data": {...}}`) or a single resource: Level 1 `lei-records` and Level 2 `relationship-records`.
 * The mapping to our records (gleifMapping.ts) is shared with the golden-copy CSV reader (gleifCsv.ts).
 */

type Json = Record<string, unknown>;

const obj = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);

export function gleifReader(): FormatReader {
  return {
    rows: 'lines',
    idPrefix: 'gleif',
    refKeyOf: (lei) => `LEI:${lei}`,
    read(row, line) {
      const parsed = parseJsonLine(row, line);
      if (!parsed.ok) return parsed.items;
      const data = obj(parsed.json).data ?? parsed.json;
      const resources = Array.isArray(data) ? data : [data];
      return resources.flatMap((resource, i) =>
        readResource(obj(resource), line, resources.length > 1 ? `data[${i}].` : ''),
      );
    },
  };
}

function readResource(resource: Json, line: number, at: string): Incoming[] {
  const attributes = obj(resource.attributes);
  if (resource.type === 'lei-records') {
    const entity = obj(attributes.entity);
    return leiEntityIncoming(
      {
        lei: attributes.lei,
        legalName: str(obj(entity.legalName).name),
        otherNames: [...list(entity.otherNames), ...list(entity.transliteratedOtherNames)].flatMap(
          (n) => str(n.name) ?? [],
        ),
        jurisdiction: str(entity.jurisdiction),
        legalAddressCountry: str(obj(entity.legalAddress).country),
        headquartersCountry: str(obj(entity.headquartersAddress).country),
        category: str(entity.category),
        creationDate: str(entity.creationDate),
      },
      line,
      { lei: `${at}attributes.lei`, legalName: `${at}attributes.entity.legalName.name` },
    );
  }
  if (resource.type === 'relationship-records') {
    const relationship = obj(attributes.relationship);
    return relationshipIncoming(
      {
        type: str(relationship.type),
        child: str(obj(relationship.startNode).id),
        parent: str(obj(relationship.endNode).id),
        periods: list(relationship.periods).map((p) => ({
          periodType: str(p.periodType),
          startDate: str(p.startDate),
          endDate: str(p.endDate),
        })),
        quantifiers: list(relationship.quantifiers).map((q) => ({
          units: str(q.quantityUnits),
          amount: q.quantityAmount,
        })),
        status: str(relationship.status),
        lastUpdateDate: str(obj(attributes.registration).lastUpdateDate),
      },
      line,
      {
        type: `${at}attributes.relationship.type`,
        child: `${at}attributes.relationship.startNode.id`,
        parent: `${at}attributes.relationship.endNode.id`,
        quantifiers: `${at}attributes.relationship.quantifiers`,
      },
    );
  }
  return [
    {
      kind: 'rejected',
      line,
      field: `${at}type`,
      message: `must be "lei-records" or "relationship-records", got ${JSON.stringify(resource.type ?? null)}`,
    },
  ];
}

import type { Database } from '../db/database';
import type { CountryRecord } from '../model/country';
import { existingIds } from '../queries/identifiers';

/**
 * ISO 3166-1 alpha-2 codes as the ICU data Node carries them: the English name of a code, or null for a
 * code that names no region ("QQ", and "ZZ", ICU's "Unknown Region"). Imports use it to drop codes that
 * are not countries and to name the Country records they add.
 */
const NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

export function countryName(code: string): string | null {
  if (!/^[A-Z]{2}$/.test(code) || code === 'ZZ') return null;
  return NAMES.of(code) ?? null;
}

/** A country code from another data set (any case, surrounding spaces), or null when it is not a country. */
export function countryCode(value: string | null | undefined): string | null {
  const code = value?.trim().toUpperCase();
  return code && countryName(code) ? code : null;
}

const COUNTRY_FIELDS = ['headquarters', 'incorporation', 'nationality', 'residence'];

/**
 * Country records that records about to be written refer to and the database lacks (the seed holds only
 * the countries its own records name): created with their English name, citing the import's source.
 */
export async function missingCountries(
  db: Database,
  sourceId: string,
  records: ReadonlyArray<Record<string, unknown>>,
): Promise<CountryRecord[]> {
  const codes = [
    ...new Set(
      records.flatMap((r) =>
        COUNTRY_FIELDS.map((f) => r[f]).filter((c): c is string => typeof c === 'string'),
      ),
    ),
  ];
  if (codes.length === 0) return [];
  const known = await db.read((query) =>
    existingIds(
      query,
      codes.map((c) => `country:${c}`),
    ),
  );
  return codes
    .filter((code) => !known.has(`country:${code}`))
    .map((code) => ({ id: `country:${code}`, code, name: countryName(code) ?? code, sources: [sourceId] }));
}

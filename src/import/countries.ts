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

import { z } from 'zod';

/**
 * Identifiers that registers give organizations and persons, each validated by its own scheme's rules, and
 * each written as one canonical key (`LEI:5493006MHB84DD0ZWV18`, `REGISTRY:GB-COH:00445790`,
 * `TICKER:XNAS:GOOGL`, `WIKIDATA:Q95`, `OPENSANCTIONS:NK-…`): the key is what is stored, indexed and looked up.
 */

export const IDENTIFIER_SCHEMES = ['LEI', 'REGISTRY', 'TICKER', 'WIKIDATA', 'OPENSANCTIONS'] as const;
export type IdentifierScheme = (typeof IDENTIFIER_SCHEMES)[number];

/**
 * Schemes whose value names one party only. A ticker is not unique: exchanges reassign a delisted symbol,
 * so two records (then and now) may carry the same one.
 */
export const UNIQUE_SCHEMES: ReadonlySet<IdentifierScheme> = new Set([
  'LEI',
  'REGISTRY',
  'WIKIDATA',
  'OPENSANCTIONS',
]);

/**
 * ISO 17442: 18 alphanumerics and two check digits, valid when the whole, letters read as 10..35, is 1
 * modulo 97 (ISO 7064 MOD 97-10, as IBANs). Computed in chunks so the 40-odd digit number never leaves
 * the range of a double.
 */
export function leiChecksumValid(lei: string): boolean {
  if (!/^[0-9A-Z]{18}[0-9]{2}$/.test(lei)) return false;
  let remainder = 0;
  for (const char of lei) {
    const digits = /[0-9]/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

const Lei = z.strictObject({
  scheme: z.literal('LEI'),
  value: z
    .string()
    .regex(/^[0-9A-Z]{18}[0-9]{2}$/, 'must be an LEI: 20 upper-case letters and digits, the last two digits')
    .refine(leiChecksumValid, 'fails the ISO 17442 check digits (mod 97)'),
});

/**
 * A national register's number with the register named as org-id.guide lists it (GB-COH: Companies House,
 * US-DE: Delaware, CN-SAIC: China's market regulator, RU-OGRN …), which is also how BODS names schemes.
 */
const Registry = z.strictObject({
  scheme: z.literal('REGISTRY'),
  registry: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]+)+$/, 'must be an org-id.guide register code such as "GB-COH" or "US-DE"'),
  value: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9./ -]{0,63}$/,
      'must be a registration number (letters, digits, . / - space)',
    ),
});

/** A stock ticker with its exchange's ISO 10383 market identifier code (XNAS, XNYS, XHKG, XSHG …). */
const Ticker = z.strictObject({
  scheme: z.literal('TICKER'),
  exchange: z.string().regex(/^[A-Z0-9]{4}$/, 'must be an ISO 10383 market identifier code such as "XNAS"'),
  value: z.string().regex(/^[A-Z0-9][A-Z0-9.-]{0,11}$/, 'must be a ticker symbol such as "GOOGL" or "0700"'),
});

const Wikidata = z.strictObject({
  scheme: z.literal('WIKIDATA'),
  value: z.string().regex(/^Q[1-9][0-9]*$/, 'must be a Wikidata item id such as "Q95"'),
});

/** OpenSanctions ids are FollowTheMoney entity ids: letters, digits, dots, dashes and underscores. */
const OpenSanctions = z.strictObject({
  scheme: z.literal('OPENSANCTIONS'),
  value: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be an OpenSanctions entity id'),
});

export const Identifier = z.discriminatedUnion('scheme', [Lei, Registry, Ticker, Wikidata, OpenSanctions]);
export type Identifier = z.infer<typeof Identifier>;

/** A record's identifiers: no key twice. */
export const Identifiers = z.array(Identifier).superRefine((list, ctx) => {
  const seen = new Map<string, number>();
  list.forEach((identifier, i) => {
    const key = identifierKey(identifier);
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: [i], message: `repeats ${key}, already at [${first}]` });
    } else seen.set(key, i);
  });
});

/** The canonical key of an identifier; `parseIdentifierKey` is its inverse. */
export function identifierKey(identifier: Identifier): string {
  switch (identifier.scheme) {
    case 'REGISTRY':
      return `REGISTRY:${identifier.registry}:${identifier.value}`;
    case 'TICKER':
      return `TICKER:${identifier.exchange}:${identifier.value}`;
    case 'LEI':
    case 'WIKIDATA':
    case 'OPENSANCTIONS':
      return `${identifier.scheme}:${identifier.value}`;
    default:
      return unreachable(identifier);
  }
}

function unreachable(value: never): never {
  throw new Error(`unknown identifier scheme: ${JSON.stringify(value)}`);
}

/** The identifier a stored key stands for, or the zod issues of a key that is not one. */
export function parseIdentifierKey(key: string): ReturnType<typeof Identifier.safeParse> {
  const [scheme = '', ...rest] = key.split(':');
  const qualified = scheme === 'REGISTRY' || scheme === 'TICKER';
  const value = qualified ? rest.slice(1).join(':') : rest.join(':');
  const raw: Record<string, string> = { scheme, value };
  if (scheme === 'REGISTRY') raw.registry = rest[0] ?? '';
  if (scheme === 'TICKER') raw.exchange = rest[0] ?? '';
  return Identifier.safeParse(raw);
}

export function isUniqueKey(key: string): boolean {
  return UNIQUE_SCHEMES.has(key.split(':')[0] as IdentifierScheme);
}

import { describeDesignation } from './explanation';
import type { OwnershipGraph, PolicyRule } from './graph';

/**
 * Domain sentences an analyst reads in an answer: why a screened or swept entity is covered, in a few
 * words, and one step of a connection between two records.
 */

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** Reasons in a few words, for screening rows and sweeps. */
export function shortReason(
  rule: PolicyRule,
  graph: OwnershipGraph,
  entityId: string,
  coverage: { reason: string | null; share: { lower: number; upper: number }; verdict: string },
): string {
  const entity = graph.entities.get(entityId);
  if (coverage.reason === 'ROOT') {
    const designated = rule.designations.some((d) => d.entityId === entityId);
    if (designated)
      return describeDesignation(
        rule.designations.filter((d) => d.entityId === entityId),
        rule.name,
      );
    const hq = entity?.headquartersCountry;
    const inc = entity?.incorporationCountry;
    if (rule.countryBasis !== 'INCORPORATION' && hq && rule.targetCountries.includes(hq))
      return `headquartered in ${hq}`;
    return `incorporated in ${String(inc)}`;
  }
  if (coverage.reason === 'CONTROL') return 'controlled without equity by a covered party';
  const range =
    coverage.share.lower === coverage.share.upper
      ? pct(coverage.share.lower)
      : `${pct(coverage.share.lower)}–${pct(coverage.share.upper)}`;
  if (coverage.verdict === 'NOT_COVERED') return `covered owners hold at most ${pct(coverage.share.upper)}`;
  return `owned ${range} by covered owners`;
}

/** The verb of each relationship type, read from its start to its end. */
export const RELATIONSHIP_VERBS: Readonly<Record<string, string>> = {
  OWNS: 'owns',
  CONTROLS: 'controls',
  DERIVED_FROM: 'is derived from',
  OFFERS: 'offers',
  DESIGNATES: 'designates',
  DEVELOPED_BY: 'is developed by',
  OPERATED_BY: 'is operated by',
  ISSUED_BY: 'is issued by',
  TARGETS: 'targets',
  COVERS_MODELS_OF: 'covers the models of',
  COVERS_MODEL: 'covers',
  REACHES: 'reaches',
  ALLEGED_BY: 'is alleged by',
  AGAINST: 'is made against',
  CONCERNS_MODEL: 'concerns',
  CONCERNS_SOURCE_MODEL: 'concerns the source model',
  HEADQUARTERED_IN: 'is headquartered in',
  INCORPORATED_IN: 'is incorporated in',
  NATIONAL_OF: 'is a national of',
  RESIDES_IN: 'resides in',
};

/** A derivation as the data states it: declared by the developer, or alleged by others (with the allegation). */
export interface DerivationBasisFacts {
  basis: 'DECLARED' | 'ALLEGED';
  /** Names of the accusers, for an alleged derivation. */
  accusers?: readonly string[];
  /** The allegation's status (ALLEGED, DENIED, CONFIRMED, UNRESOLVED). */
  status?: string | null;
}

const listed = (names: readonly string[]) =>
  names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

const ALLEGATION_STATUS: Readonly<Record<string, string>> = {
  DENIED: ' (the accused deny it)',
  CONFIRMED: ' (the allegation is confirmed)',
  UNRESOLVED: ' (the allegation is unresolved)',
};

/**
 * One step of a connection in words: "ByteDance Ltd. owns 19.9% of TikTok USDS (since 2026-01-22)". For an
 * ownership, `share` is the stake as displayed, `undisclosed` marks a stake known to exist but of unknown size.
 * An alleged derivation is never stated as fact: "DeepSeek-R1 is alleged (by OpenAI) to be derived from …".
 */
export function describeStep(
  type: string,
  from: string,
  to: string,
  ownership?: { share: string; undisclosed: boolean; startDate?: string | null },
  derivation?: DerivationBasisFacts,
): string {
  if (type === 'DERIVED_FROM' && derivation?.basis === 'ALLEGED') {
    const by = derivation.accusers?.length ? ` (by ${listed(derivation.accusers)})` : '';
    const status = ALLEGATION_STATUS[derivation.status ?? ''] ?? '';
    return `${from} is alleged${by} to be derived from ${to}${status}`;
  }
  if (type === 'OWNS' && ownership) {
    const shown = ownership.undisclosed ? 'an undisclosed stake in' : `${ownership.share} of`;
    return `${from} owns ${shown} ${to}${ownership.startDate ? ` (since ${ownership.startDate})` : ''}`;
  }
  const verb = RELATIONSHIP_VERBS[type] ?? type.toLowerCase().replace(/_/g, ' ');
  return `${from} ${verb} ${to}`;
}

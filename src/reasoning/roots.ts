/**
 * Where coverage starts: the entities a policy reaches by itself, before ownership is considered. Either
 * listed (a designation in force on the date: SDN, Entity List) or in a targeted jurisdiction by the
 * policy's deciding country (Anthropic: headquarters, so ByteDance Ltd., incorporated in the Cayman Islands
 * and headquartered in Beijing, is a root).
 */
import type { ControlBasis, Designation, Entity, PolicyRule } from './graph';
import { inForce } from './graph';
import type { GraphIndex } from './graphIndex';

export type RootReason =
  | { kind: 'DESIGNATED'; designations: Designation[] }
  | { kind: 'HEADQUARTERS'; country: string }
  | { kind: 'INCORPORATION'; country: string };

/** The policy's deciding country for an entity, if it is targeted (headquarters first under EITHER). */
export function targetedCountry(policy: PolicyRule, entity: Entity | undefined): RootReason | null {
  if (!entity) return null;
  const targets = policy.targetCountries;
  const hq = entity.headquartersCountry;
  const inc = entity.incorporationCountry;
  const byHq = policy.countryBasis !== 'INCORPORATION' && hq != null && targets.includes(hq);
  const byInc = policy.countryBasis !== 'HEADQUARTERS' && inc != null && targets.includes(inc);
  if (byHq) return { kind: 'HEADQUARTERS', country: hq };
  if (byInc) return { kind: 'INCORPORATION', country: inc };
  return null;
}

/** Roots of the policy among the indexed nodes, with the reason for each (designation wins over country). */
export function policyRoots(
  index: GraphIndex,
  policy: PolicyRule,
): { isRoot: Uint8Array; reasons: Map<number, RootReason> } {
  const isRoot = new Uint8Array(index.n);
  const reasons = new Map<number, RootReason>();
  for (const d of policy.designations) {
    if (d.policyId !== policy.id || !inForce(d, index.asOf)) continue;
    const v = index.indexOf.get(d.entityId);
    if (v === undefined) continue;
    const reason = reasons.get(v);
    if (reason?.kind === 'DESIGNATED') reason.designations.push(d);
    else reasons.set(v, { kind: 'DESIGNATED', designations: [d] });
    isRoot[v] = 1;
  }
  if (policy.targetCountries.length > 0) {
    for (let v = 0; v < index.n; v++) {
      if (isRoot[v]) continue;
      const reason = targetedCountry(policy, index.entity[v]);
      if (reason) {
        isRoot[v] = 1;
        reasons.set(v, reason);
      }
    }
  }
  return { isRoot, reasons };
}

/** Whether a control edge of this basis makes the controlled entity covered (EU: control counts; OFAC FAQ 398: not). */
export function controlBasisCounts(policy: PolicyRule, basis: ControlBasis): boolean {
  return policy.controlCounts && (policy.controlBases === undefined || policy.controlBases.includes(basis));
}

/**
 * Whether a customer may use a model through each channel that offers it, under every policy in force.
 * A policy matters for a channel when it covers the model (by id or by developer) and states that it
 * reaches the channel (by id or by kind). An open-weights download is different in kind: once weights are
 * published nobody can stop a download, so a policy never blocks it — we say so rather than pretend.
 */
import type { CoverageVerdict } from './bounds';
import { assertNever } from './graph';
import type { PolicyStatusResult } from './policyStatus';

export type ChannelKind = 'FIRST_PARTY_API' | 'CLOUD_MARKETPLACE' | 'CONSUMER_APP' | 'OPEN_WEIGHTS_DOWNLOAD';
/**
 * NOT_OFFERED: no channel in the data set offers the model on the day (withdrawn everywhere, or not yet
 * released). That is not permission: there is nothing to allow, and the answer says so.
 */
export type AccessDecision = 'ALLOWED' | 'BLOCKED' | 'UNCERTAIN' | 'NOT_OFFERED';

export interface ChannelOffer {
  offeringId: string;
  channelId: string;
  channelName: string;
  kind: ChannelKind;
}

export interface PolicyReach {
  policyId: string;
  policyName: string;
  coversModels: string[];
  coversDevelopers: string[];
  reachesChannels: string[];
  reachesChannelKinds: ChannelKind[];
}

/** The customer's verdict under a policy on the day (from policyVerdict). */
export interface CustomerVerdict {
  verdict: CoverageVerdict;
  policyStatus: PolicyStatusResult;
}

export interface PolicyOnChannel {
  policyId: string;
  /** The policy states it reaches this channel. */
  reaches: boolean;
  decision: AccessDecision;
  reason: string;
}

export interface ChannelAccess {
  offer: ChannelOffer;
  decision: AccessDecision;
  /** False for open-weights downloads: no policy can stop them. */
  enforceable: boolean;
  policies: PolicyOnChannel[];
  note: string;
}

export function policyCoversModel(policy: PolicyReach, model: { id: string; developerId: string }): boolean {
  return policy.coversModels.includes(model.id) || policy.coversDevelopers.includes(model.developerId);
}

export function policyReachesChannel(policy: PolicyReach, offer: ChannelOffer): boolean {
  return policy.reachesChannels.includes(offer.channelId) || policy.reachesChannelKinds.includes(offer.kind);
}

const RANK: Record<AccessDecision, number> = { NOT_OFFERED: -1, ALLOWED: 0, UNCERTAIN: 1, BLOCKED: 2 };

export function worst(decisions: readonly AccessDecision[]): AccessDecision {
  return decisions.reduce<AccessDecision>((a, b) => (RANK[b] > RANK[a] ? b : a), 'ALLOWED');
}

function decide(verdict: CoverageVerdict): AccessDecision {
  switch (verdict) {
    case 'COVERED':
      return 'BLOCKED';
    case 'POSSIBLY_COVERED':
      return 'UNCERTAIN';
    case 'NOT_COVERED':
      return 'ALLOWED';
    default:
      return assertNever(verdict);
  }
}

/**
 * A policy's decision for a customer wherever it reaches: a policy not in force on the day allows,
 * otherwise the customer's verdict decides (covered blocks, possibly covered is uncertain).
 */
export function policyDecision(verdict: CustomerVerdict): AccessDecision {
  return verdict.policyStatus.inForce ? decide(verdict.verdict) : 'ALLOWED';
}

/**
 * The decision over all channels: NOT_OFFERED when no channel offers the model on the day; ALLOWED if any
 * channel allows (the customer can buy the model somewhere); otherwise the least restrictive decision among
 * the channels.
 */
export function overallAccess(channelDecisions: readonly AccessDecision[]): AccessDecision {
  if (channelDecisions.length === 0) return 'NOT_OFFERED';
  if (channelDecisions.includes('ALLOWED')) return 'ALLOWED';
  return channelDecisions.includes('UNCERTAIN') ? 'UNCERTAIN' : 'BLOCKED';
}

/** The overall decision in words, for the analyst reading it. */
export function overallNote(
  decision: AccessDecision,
  channels: ReadonlyArray<{ decision: AccessDecision; channelName: string }>,
  asOf: string,
): string {
  const named = (d: AccessDecision) =>
    channels
      .filter((c) => c.decision === d)
      .map((c) => c.channelName)
      .join(', ');
  switch (decision) {
    case 'NOT_OFFERED':
      return `No channel in the data set offers this model on ${asOf}; nothing is allowed or blocked.`;
    case 'ALLOWED':
      return `Allowed through ${named('ALLOWED')} on ${asOf}.`;
    case 'UNCERTAIN':
      return `Not clearly allowed anywhere on ${asOf}; uncertain through ${named('UNCERTAIN')}.`;
    case 'BLOCKED':
      return `Blocked on every channel that offers this model on ${asOf}.`;
    default:
      return assertNever(decision);
  }
}

/** Orders decisions BLOCKED first, then UNCERTAIN, then ALLOWED, then NOT_OFFERED. */
export function worstFirst(a: AccessDecision, b: AccessDecision): number {
  return RANK[b] - RANK[a];
}

/**
 * One decision per channel. `policies` are those covering the model; `verdicts` the customer's verdict
 * under each of them.
 */
export function accessByChannel(
  offers: readonly ChannelOffer[],
  policies: readonly PolicyReach[],
  verdicts: ReadonlyMap<string, CustomerVerdict>,
): ChannelAccess[] {
  return offers.map((offer) => {
    const enforceable = offer.kind !== 'OPEN_WEIGHTS_DOWNLOAD';
    const onChannel = policies.map((policy): PolicyOnChannel => {
      const reaches = policyReachesChannel(policy, offer);
      const v = verdicts.get(policy.policyId);
      if (!v || !v.policyStatus.inForce) {
        return {
          policyId: policy.policyId,
          reaches,
          decision: 'ALLOWED',
          reason: `${policy.policyName} is not in force (${v?.policyStatus.status ?? 'unknown status'})`,
        };
      }
      if (!reaches) {
        return {
          policyId: policy.policyId,
          reaches,
          decision: 'ALLOWED',
          reason: `${policy.policyName} does not state that it reaches ${offer.channelName}`,
        };
      }
      if (!enforceable) {
        return {
          policyId: policy.policyId,
          reaches,
          decision: 'ALLOWED',
          reason: `${policy.policyName} names this channel, but published open weights can be downloaded by anyone; the policy cannot stop it`,
        };
      }
      const decision = decide(v.verdict);
      const reason =
        decision === 'BLOCKED'
          ? `the customer is covered by ${policy.policyName}`
          : decision === 'UNCERTAIN'
            ? `the customer may be covered by ${policy.policyName}: the known shares straddle its threshold`
            : `the customer is not covered by ${policy.policyName}`;
      return { policyId: policy.policyId, reaches, decision, reason };
    });
    const decision = worst(onChannel.map((p) => p.decision));
    const note = !enforceable
      ? 'Open weights: once published, nobody can stop a download; licences and export rules may still restrict use.'
      : onChannel.length === 0
        ? 'No policy in the data set covers this model.'
        : decision === 'ALLOWED'
          ? 'No policy in force blocks this customer on this channel.'
          : onChannel
              .filter((p) => p.decision === decision)
              .map((p) => p.reason)
              .join('; ');
    return { offer, decision, enforceable, policies: onChannel, note };
  });
}

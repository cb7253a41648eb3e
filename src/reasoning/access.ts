/**
 * Whether a customer may use a model through each channel that offers it, under every policy in force.
 * A policy matters for a channel when it covers the model (by id or by developer) and states that it
 * reaches the channel (by id or by kind). An open-weights download is different in kind: once weights are
 * published nobody can stop a download, so a policy never blocks it — we say so rather than pretend.
 */
import type { CoverageVerdict } from './bounds';
import { assertNever, certainlyInForce, inForce, type DatedPrecisely } from './graph';
import type { PolicyStatusResult } from './policyStatus';

export type ChannelKind = 'FIRST_PARTY_API' | 'CLOUD_MARKETPLACE' | 'CONSUMER_APP' | 'OPEN_WEIGHTS_DOWNLOAD';
/**
 * NOT_OFFERED: no channel in the data set offers the model on the day (withdrawn everywhere, or not yet
 * released). That is not permission: there is nothing to allow, and the answer says so.
 */
export type AccessDecision = 'ALLOWED' | 'BLOCKED' | 'UNCERTAIN' | 'NOT_OFFERED';

/**
 * OFFERED: the channel surely offers the model on the day. POSSIBLY_OFFERED: its start is only a lower bound
 * (the model's release date) not yet confirmed by a source, or a month- or year-only end leaves the day open.
 */
export type OfferStatus = 'OFFERED' | 'POSSIBLY_OFFERED';

export interface ChannelOffer {
  offeringId: string;
  channelId: string;
  channelName: string;
  kind: ChannelKind;
  /** Default OFFERED. */
  offered?: OfferStatus;
}

/** An offering as stored: its period (with precision) and whether its start is only a lower bound. */
export interface OfferingDates extends DatedPrecisely {
  startIsLowerBound?: boolean | null;
  confirmedOn?: string | null;
}

/**
 * Whether the channel offers the model on the day: null when it surely does not (before the start's first
 * possible day, after the end's last), POSSIBLY_OFFERED when the day falls between a lower-bound start and the
 * day a source confirms the offering (or has no such day), or in a month or year an end or start leaves open.
 */
export function offerStatus(offering: OfferingDates, asOf: string): OfferStatus | null {
  if (!inForce(offering, asOf)) return null;
  const confirmed = offering.confirmedOn != null && offering.confirmedOn <= asOf;
  if (offering.startIsLowerBound && !confirmed) return 'POSSIBLY_OFFERED';
  return certainlyInForce(offering, asOf) ? 'OFFERED' : 'POSSIBLY_OFFERED';
}

/**
 * How a policy stands towards a channel. STATED: it says it reaches the channel (by id or kind). UNSETTLED:
 * its sources leave open whether it does. NOT_STATED: it says nothing of the channel.
 */
export type PolicyReachStatus = 'STATED' | 'UNSETTLED' | 'NOT_STATED';

export interface PolicyReach {
  policyId: string;
  policyName: string;
  coversModels: string[];
  coversDevelopers: string[];
  reachesChannels: string[];
  reachesChannelKinds: ChannelKind[];
  /** Channels whose reach the policy's sources leave open, with what they say. */
  unsettledChannels?: Array<{ channelId: string; note: string }>;
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
  reach: PolicyReachStatus;
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

export function policyReach(policy: PolicyReach, offer: ChannelOffer): PolicyReachStatus {
  if (policyReachesChannel(policy, offer)) return 'STATED';
  return policy.unsettledChannels?.some((u) => u.channelId === offer.channelId) ? 'UNSETTLED' : 'NOT_STATED';
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
      const reach = policyReach(policy, offer);
      const on = { policyId: policy.policyId, reaches: reach === 'STATED', reach };
      const v = verdicts.get(policy.policyId);
      if (!v || !v.policyStatus.inForce) {
        return {
          ...on,
          decision: 'ALLOWED',
          reason: `${policy.policyName} is not in force (${v?.policyStatus.status ?? 'unknown status'})`,
        };
      }
      if (reach === 'NOT_STATED') {
        return {
          ...on,
          decision: 'ALLOWED',
          reason: `${policy.policyName} does not state that it reaches ${offer.channelName}`,
        };
      }
      if (!enforceable) {
        return {
          ...on,
          decision: 'ALLOWED',
          reason: `${policy.policyName} names this channel, but published open weights can be downloaded by anyone; the policy cannot stop it`,
        };
      }
      const decision = decide(v.verdict);
      if (reach === 'UNSETTLED' && decision !== 'ALLOWED') {
        // Covered (or possibly) under a policy that may or may not reach the channel: not a firm answer either way.
        const unsettled = policy.unsettledChannels?.find((u) => u.channelId === offer.channelId);
        const covered = decision === 'BLOCKED' ? 'is covered' : 'may be covered';
        return {
          ...on,
          decision: 'UNCERTAIN',
          reason: `the customer ${covered} by ${policy.policyName}, and its sources do not settle whether it reaches ${offer.channelName}: ${unsettled?.note ?? 'no note'}`,
        };
      }
      const reason =
        decision === 'BLOCKED'
          ? `the customer is covered by ${policy.policyName}`
          : decision === 'UNCERTAIN'
            ? `the customer may be covered by ${policy.policyName}: the known shares straddle its threshold`
            : `the customer is not covered by ${policy.policyName}`;
      return { ...on, decision, reason };
    });
    const byPolicies = worst(onChannel.map((p) => p.decision));
    // Allowed on a channel that may not offer the model yet is not a firm "allowed": the customer may find
    // nothing there. Blocked stays blocked: offered or not, the customer cannot use the model there.
    const possibly = offer.offered === 'POSSIBLY_OFFERED';
    const decision = possibly && byPolicies === 'ALLOWED' ? 'UNCERTAIN' : byPolicies;
    const byPolicyNote = !enforceable
      ? 'Open weights: once published, nobody can stop a download; licences and export rules may still restrict use.'
      : onChannel.length === 0
        ? 'No policy in the data set covers this model.'
        : byPolicies === 'ALLOWED'
          ? 'No policy in force blocks this customer on this channel.'
          : onChannel
              .filter((p) => p.decision === byPolicies)
              .map((p) => p.reason)
              .join('; ');
    const note = possibly
      ? `${byPolicyNote} The channel may not offer the model on this day: its start date is a lower bound or known only to the month or year, and no source confirms the offering yet.`
      : byPolicyNote;
    return { offer, decision, enforceable, policies: onChannel, note };
  });
}

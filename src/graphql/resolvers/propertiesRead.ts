import { RULE_PROPERTIES } from '../../records/ownershipRule';
import { SHARE_FIELDS, type SharePrefix } from '../../records/share';

/**
 * Not public API: which stored properties each field with its own resolver reads from its record, for the
 * types a read-ahead may project (graphql/selectedProperties.ts). A field without its own resolver reads the
 * stored property of its name and is not listed. A field not listed here that has its own resolver, or that
 * returns an object, makes the request read whole records (its needs are not known), so a field missing from
 * this table costs speed, never an answer; src/graphql/__tests__/propertiesRead.test.ts checks that every leaf
 * field with its own resolver on these types is listed.
 *
 * Relationship fields read only the record's id (always read); the records they lead to are projected by what
 * is selected on them. `history` is left out on purpose: it reads versions by its own query.
 */
const PARTY = {
  aliases: ['aliases'],
  sources: ['sourceIds'],
  identifiers: ['identifiers'],
  holdings: [],
  controls: [],
  allegationsMade: [],
  allegationsAgainst: [],
  designations: [],
};

const DATED_EDGE = {
  startDatePrecision: ['startDate', 'startDatePrecision'],
  endDatePrecision: ['endDate', 'endDatePrecision'],
  sources: ['sourceIds'],
};

const stored = (prefix: SharePrefix) => Object.values(SHARE_FIELDS).map((suffix) => `${prefix}${suffix}`);

export const PROPERTIES_READ: Record<string, Record<string, readonly string[]>> = {
  Organization: {
    ...PARTY,
    foundedPrecision: ['founded', 'foundedPrecision'],
    headquarters: ['headquarters'],
    incorporation: ['incorporation'],
    owners: [],
    controllers: [],
    models: [],
    channels: [],
    policiesIssued: [],
  },
  Person: { ...PARTY, nationality: ['nationality'], residence: ['residence'] },
  AIModel: {
    aliases: ['aliases'],
    sources: ['sourceIds'],
    releaseDatePrecision: ['releaseDate', 'releaseDatePrecision'],
    developer: ['developer'],
    modalities: ['modalities'],
    derivedFrom: [],
    derivatives: [],
    offerings: [],
    allegations: [],
  },
  AccessChannel: {
    aliases: ['aliases'],
    sources: ['sourceIds'],
    operator: ['operator'],
    offerings: [],
    policiesReaching: [],
  },
  Country: {
    aliases: ['aliases'],
    sources: ['sourceIds'],
    // Pages of organizations read by the country's code.
    headquarteredHere: ['code'],
    incorporatedHere: ['code'],
  },
  Allegation: {
    sources: ['sourceIds'],
    accusers: ['accusers'],
    accused: ['accused'],
    accusedModels: ['accusedModels'],
    sourceModels: ['sourceModels'],
    derivations: [],
  },
  Policy: {
    aliases: ['aliases'],
    sources: ['sourceIds'],
    issuer: ['issuer'],
    // Suspensions and unsettled channels are stored as JSON on the policy, the rule as its `rule…` properties.
    suspensions: ['suspensionsJson'],
    targets: ['targets'],
    ownershipRule: [...Object.values(RULE_PROPERTIES), 'targets'],
    coversModelsOf: ['coversDevelopers'],
    coversModels: ['coversModels'],
    reachesChannels: ['coversChannels'],
    reachesChannelKinds: ['coversChannelKinds'],
    channelsUnsettled: ['coversChannelsUnsettledJson'],
    designations: [],
  },
  Source: {},
  // Relationship records: what their fields read is projected apart from the nodes' properties (a tree read's
  // `edges`), with their id and dates always.
  Ownership: {
    ...DATED_EDGE,
    owner: [],
    owned: [],
    share: stored('share'),
    votingShare: stored('votingShare'),
    economicShare: stored('economicShare'),
  },
  Control: { ...DATED_EDGE, controller: [], controlled: [] },
  // Not a record: what a search hit reads of its node (the name or alias that matched best).
  SearchHit: { node: [], score: [], matched: ['name', 'aliases'] },
  Derivation: { ...DATED_EDGE, child: [], parent: [], allegation: ['allegation'] },
  Designation: { ...DATED_EDGE, policy: [], entity: [] },
  Offering: { ...DATED_EDGE, channel: [], model: [], startIsLowerBound: ['startIsLowerBound'] },
};

/**
 * Deciding whether a name from a customer list matches one record. A match needs the distinctive part of
 * the name: legal forms and generic business words (Holdings, Group, Limited, Ltd, Inc, Co, Pte, Technology,
 * ...) never carry one (issue 9: "PDD Holdings" and "Holdings" are not Tencent Holdings). Every name and
 * alias of a candidate is scored in [0, 1] on its own, whatever the full-text engine thought of it, and the
 * score says why: which alias, which words matched, which were set aside. Two records scoring about equally
 * are AMBIGUOUS, never guessed.
 */
import type { ReasoningError } from './graph';

export interface Candidate {
  id: string;
  name: string;
  aliases: string[];
  /** Incoming: the full-text score (ignored). Outgoing: this module's score in [0, 1]. */
  score: number;
}

export type MatchStatus = 'MATCHED' | 'AMBIGUOUS' | 'NOT_FOUND';

/** Why a candidate scored what it did. */
export interface ScoreExplanation {
  /** The name or alias of the candidate that scored best. */
  matchedName: string;
  score: number;
  /** Distinctive words of the input and the words of the name they matched ("bytedanse" ~ "bytedance"). */
  matchedTokens: { input: string; name: string; edits: number }[];
  /** Words of the input set aside as legal forms, generic business words or places. */
  ignoredTokens: string[];
  /** One sentence for the analyst. */
  sentence: string;
}

export interface NameMatch {
  status: MatchStatus;
  match: Candidate | null;
  matchedName: string | null;
  /** Candidates with a positive score, best first, each with its score in [0, 1]. */
  candidates: Candidate[];
  /** Score of the match (or of the best candidate) and why; null when nothing scored. */
  explanation: ScoreExplanation | null;
}

/** A name scoring at least this much can match. */
export const MATCH_SCORE = 0.85;
/** The best record must lead the next record by this much, or the name is AMBIGUOUS. */
export const CLEAR_MARGIN = 0.03;
/** Longest name screened; longer entries get an error of their own (a batch never fails for one entry). */
export const MAX_NAME_LENGTH = 300;
export const MAX_NAME_WORDS = 40;

/** Legal forms, in every spelling, mapped to one form so "Ltd" and "Limited" differ by nothing. */
const LEGAL_FORMS: Record<string, string> = Object.fromEntries(
  [
    ['limited', 'limited ltd ltda'],
    ['company', 'co company cos'],
    ['corporation', 'corp corporation incorporated inc incorporation'],
    ['plc', 'plc pbc llc llp lp lllp pllc'],
    ['pte', 'pte pty pvt private'],
    [
      'gmbh',
      'gmbh ag kg mbh se sa sas sarl spa srl sl bv nv ab oy asa kk kabushiki kaisha jsc pjsc ooo oao zao',
    ],
    ['com', 'com'],
  ].flatMap(([canon, spellings]) => spellings!.split(' ').map((s) => [s, canon!])),
);

/** Business words that say what a company is, not which one: they never carry a match, only break ties. */
const GENERIC = new Set(
  (
    'holding holdings group groups technology technologies tech international intl global worldwide ' +
    'the and of for de la le du des del y et und ' +
    'services service solutions systems system software network networks information info digital ' +
    'science sciences research development enterprise enterprises industries industry industrial ' +
    'investment investments capital partners partnership ventures venture management trading trade ' +
    'labs lab laboratory laboratories cloud ai artificial intelligence intelligent data computing ' +
    'communications communication media entertainment platform platforms online internet electronic ' +
    'electronics smart innovation innovations basic operations operating joint commercial products ' +
    'affiliate affiliates subsidiary branch office fund funds asset assets securities'
  ).split(' '),
);
/**
 * Words of finance that name a different business when a customer's name adds them ("Moonshot Capital" is
 * not Moonshot AI): generic, but an input that has one the record lacks is penalised more.
 */
const FINANCE = new Set(
  'capital partners partnership venture ventures investment management fund funds asset assets securities'.split(
    ' ',
  ),
);
const SYNONYMS: Record<string, string> = {
  holdings: 'holding',
  technologies: 'technology',
  tech: 'technology',
  intl: 'international',
  groups: 'group',
  labs: 'lab',
  laboratory: 'lab',
  laboratories: 'lab',
  services: 'service',
  systems: 'system',
  networks: 'network',
  investments: 'investment',
  ventures: 'venture',
  industries: 'industry',
  sciences: 'science',
};

/** Places: they tell entities of one group apart (Beijing ByteDance), but never carry a match alone. */
const PLACES = new Set(
  (
    'china chinese prc beijing shanghai hangzhou shenzhen guangzhou zhejiang ningbo jiangsu nanjing suzhou ' +
    'hong kong hk macau singapore sg us usa america american uk britain british london ireland cayman ' +
    'islands bvi delaware japan tokyo korea asia pacific apac europe european emea india germany france ' +
    'netherlands dubai uae russia moscow south africa 北京 上海 杭州 深圳 广州 浙江 宁波 香港 中国 江苏 南京'
  ).split(' '),
);

/** Chinese legal forms and generic words, stripped from the end of a Han-script word, longest first. */
const HAN_SUFFIXES = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '集团',
  '控股',
  '科技',
  '技术',
  '网络',
  '信息',
  '公司',
  '人工智能',
  '智能',
  '基础技术研究',
  '研究',
];
const HAN_PREFIXES = ['北京', '上海', '杭州', '深圳', '广州', '浙江', '宁波', '香港', '中国', '江苏', '南京'];
const HAN = /\p{Script=Han}/u;

export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC')
    .replace(/(?<=(?:^|[^\p{L}])\p{L})\.(?=\p{L}(?:[^\p{L}]|$))/gu, '') // "U.S." is "US", "L.L.C." is "LLC"
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Tokens {
  /** Every word but legal forms, in order: "Open AI" and "OpenAI" join to the same letters. */
  words: string[];
  distinctive: string[];
  /** Legal forms and generic words, canonical spelling. */
  legal: string[];
  generic: string[];
  places: string[];
}

export function tokenise(name: string): Tokens {
  const out: Tokens = { words: [], distinctive: [], legal: [], generic: [], places: [] };
  for (const raw of normaliseName(name).split(' ')) {
    if (!raw) continue;
    if (!LEGAL_FORMS[raw]) out.words.push(raw);
    if (HAN.test(raw)) {
      let word = raw;
      for (let changed = true; changed;) {
        changed = false;
        for (const p of HAN_PREFIXES) {
          if (word.startsWith(p) && word.length > p.length) {
            out.places.push(p);
            word = word.slice(p.length);
            changed = true;
          }
        }
        for (const s of HAN_SUFFIXES) {
          if (word.endsWith(s) && word.length > s.length) {
            out.generic.push(s);
            word = word.slice(0, -s.length);
            changed = true;
          }
        }
      }
      if (PLACES.has(word)) out.places.push(word);
      else if (HAN_SUFFIXES.includes(word)) out.generic.push(word);
      else out.distinctive.push(word);
      continue;
    }
    const legal = LEGAL_FORMS[raw];
    if (legal) out.legal.push(legal);
    else if (GENERIC.has(raw)) out.generic.push(SYNONYMS[raw] ?? raw);
    else if (PLACES.has(raw)) out.places.push(raw);
    else out.distinctive.push(raw);
  }
  return out;
}

/** Edits a word may be off by: none up to 4 letters (PDD is not PDF), one up to 8, two beyond; none in Han. */
function allowedEdits(word: string): number {
  if (HAN.test(word)) return 0;
  return word.length <= 4 ? 0 : word.length <= 8 ? 1 : 2;
}

/**
 * Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment), the
 * commonest typo ("Tencnet"); more than `limit` is reported as limit + 1.
 */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(
        rows[i - 1]![j]! + 1,
        row[j - 1]! + 1,
        rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      row.push(v);
    }
    rows.push(row);
  }
  const d = rows[a.length]![b.length]!;
  return d > limit ? limit + 1 : d;
}

/** Pairs each distinctive word of the input with one of the name's, within the edits allowed; null if any is left. */
function pairWords(input: string[], name: string[]): ScoreExplanation['matchedTokens'] | null {
  if (input.length !== name.length) {
    // "Byte Dance" and "ByteDance": the same letters, spaced differently.
    const a = input.join('');
    // Counted as one edit: "Moon Shot" is less surely "Moonshot" than "Moonshot" is.
    return a === name.join('') ? [{ input: input.join(' '), name: name.join(' '), edits: 1 }] : null;
  }
  const left = [...name];
  const pairs: ScoreExplanation['matchedTokens'] = [];
  for (const word of input) {
    let best = -1;
    let bestEdits = Infinity;
    left.forEach((candidate, i) => {
      const limit = Math.min(allowedEdits(word), allowedEdits(candidate));
      const d = editDistance(word, candidate, limit);
      if (d <= limit && d < bestEdits) {
        best = i;
        bestEdits = d;
      }
    });
    if (best < 0) return null;
    pairs.push({ input: word, name: left[best]!, edits: bestEdits });
    left.splice(best, 1);
  }
  return pairs;
}

const missing = (from: string[], other: string[]) => from.filter((w) => !other.includes(w));

/**
 * Score of one input against one name or alias, in [0, 1]: 1 for the same name (ignoring case, accents,
 * punctuation and spacing); otherwise 0 unless the distinctive words correspond one to one (a typo of one
 * letter in words of 5 to 8 letters, two beyond, or the same letters spaced differently), then 0.99 less
 * penalties: 0.05 per edit; 0.2 per place the input names and the name lacks, 0.04 the reverse; 0.1 per
 * generic word the input adds (0.2 for finance words), 0.01 the reverse; 0.03 per legal form the input adds,
 * 0.005 the reverse.
 */
export function scoreName(input: string, name: string): ScoreExplanation {
  const a = tokenise(input);
  const b = tokenise(name);
  const ignoredTokens = [...a.legal, ...a.generic, ...a.places];
  const none = (why: string): ScoreExplanation => ({
    matchedName: name,
    score: 0,
    matchedTokens: [],
    ignoredTokens,
    sentence: why,
  });
  if (normaliseName(input) === normaliseName(name) && normaliseName(input) !== '') {
    return {
      matchedName: name,
      score: 1,
      matchedTokens: a.distinctive.map((w) => ({ input: w, name: w, edits: 0 })),
      ignoredTokens,
      sentence: `Same name as "${name}".`,
    };
  }
  if (a.distinctive.length === 0) return none('The input has no distinctive word, only generic ones.');
  if (b.distinctive.length === 0) return none(`"${name}" has no distinctive word to compare.`);
  let pairs = pairWords(a.distinctive, b.distinctive);
  if (!pairs && a.words.join('') === b.words.join('')) {
    // "Open AI" and "OpenAI": spacing made a generic word of part of a distinctive one.
    pairs = [{ input: a.words.join(' '), name: b.words.join(' '), edits: 1 }];
    a.generic = b.generic = [];
  }
  if (!pairs) return none(`The distinctive words differ from those of "${name}".`);
  const edits = pairs.reduce((s, p) => s + p.edits, 0);
  const extraGeneric = missing(a.generic, b.generic);
  const penalty =
    0.05 * edits +
    0.2 * missing(a.places, b.places).length +
    0.04 * missing(b.places, a.places).length +
    0.1 * extraGeneric.filter((w) => !FINANCE.has(w)).length +
    0.2 * extraGeneric.filter((w) => FINANCE.has(w)).length +
    0.01 * missing(b.generic, a.generic).length +
    // A legal form the input states and the name lacks tells records apart ("Pte" is Singapore); one the input
    // leaves out says little.
    0.03 * missing(a.legal, b.legal).length +
    0.005 * missing(b.legal, a.legal).length;
  const score = Math.max(0, Math.round((0.99 - penalty) * 1000) / 1000);
  const words = pairs
    .map((p) =>
      p.edits === 0
        ? `"${p.input}"`
        : `"${p.input}" ~ "${p.name}" (${p.edits} edit${p.edits > 1 ? 's' : ''})`,
    )
    .join(', ');
  const ignored =
    ignoredTokens.length > 0 ? `; set aside ${ignoredTokens.map((w) => `"${w}"`).join(', ')}` : '';
  return {
    matchedName: name,
    score,
    matchedTokens: pairs,
    ignoredTokens,
    sentence: `Matched "${name}" on ${words}${ignored}.`,
  };
}

/**
 * The best-scoring name or alias of a candidate. A name with a qualifier in parentheses ("Bureau of Industry
 * and Security (US Department of Commerce)") is also tried without it.
 */
export function scoreCandidate(input: string, c: Candidate): ScoreExplanation {
  let best: ScoreExplanation | null = null;
  const names = [c.name, ...c.aliases];
  for (const n of [...names]) {
    const bare = n.replace(/\s*\([^)]*\)\s*/g, ' ').trim();
    if (bare !== n && bare !== '') names.push(bare);
  }
  for (const name of names) {
    const s = scoreName(input, name);
    if (!best || s.score > best.score) best = s;
  }
  return best!;
}

/** An error for an entry that cannot be screened (empty, or too long to be a name), else null. */
export function checkScreenName(name: string, path: (string | number)[]): ReasoningError | null {
  const trimmed = name.trim();
  const words = trimmed.split(/\s+/).length;
  if (trimmed === '') {
    return { code: 'INVALID_ARGUMENT', path, message: `Name at "${path.join('.')}" is empty.` };
  }
  if (trimmed.length > MAX_NAME_LENGTH || words > MAX_NAME_WORDS) {
    return {
      code: 'INVALID_ARGUMENT',
      path,
      message: `Name at "${path.join('.')}" has ${trimmed.length} characters and ${words} words; at most ${MAX_NAME_LENGTH} and ${MAX_NAME_WORDS} are screened.`,
    };
  }
  return null;
}

export function matchName(input: string, candidates: readonly Candidate[]): NameMatch {
  const scored = candidates
    .map((c) => ({ c, why: scoreCandidate(input, c) }))
    .filter((x) => x.why.score > 0)
    .sort((x, y) => y.why.score - x.why.score || x.c.id.localeCompare(y.c.id));
  const list = scored.map((x) => ({ ...x.c, score: x.why.score }));
  const best = scored[0];
  if (!best || best.why.score < MATCH_SCORE) {
    return {
      status: 'NOT_FOUND',
      match: null,
      matchedName: null,
      candidates: list,
      explanation: best?.why ?? null,
    };
  }
  const rival = scored.find((x) => x.c.id !== best.c.id);
  // The same name or alias beats any near miss; otherwise the lead must be clear.
  const clear =
    !rival ||
    (best.why.score === 1 && rival.why.score < 1) ||
    best.why.score - rival.why.score >= CLEAR_MARGIN - 1e-9;
  if (!clear) {
    const close = list.filter((c) => c.score >= best.why.score - CLEAR_MARGIN);
    return { status: 'AMBIGUOUS', match: null, matchedName: null, candidates: close, explanation: best.why };
  }
  return {
    status: 'MATCHED',
    match: list[0]!,
    matchedName: best.why.matchedName,
    candidates: list,
    explanation: best.why,
  };
}

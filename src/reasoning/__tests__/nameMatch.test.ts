import { checkScreenName, matchName, normaliseName, scoreName, type Candidate } from '../nameMatch';

const c = (id: string, name: string, score: number, aliases: string[] = []): Candidate => ({
  id,
  name,
  aliases,
  score,
});

describe('matchName: resolving a customer-list name to one record, or flagging it', () => {
  it('matches an exact name whatever its case and punctuation', () => {
    const result = matchName('tiktok pte ltd', [
      c('org:a', 'TikTok Pte. Ltd.', 3.1),
      c('org:b', 'TikTok Ltd.', 2.9),
    ]);
    expect(result.status).toBe('MATCHED');
    expect(result.match?.id).toBe('org:a');
    expect(result.matchedName).toBe('TikTok Pte. Ltd.');
  });

  it('matches through an alias', () => {
    const result = matchName('Tencent', [
      c('org:t', 'Tencent Holdings Ltd.', 1.2, ['Tencent']),
      c('org:x', 'Tencent Music', 1.1),
    ]);
    expect(result).toMatchObject({ status: 'MATCHED', matchedName: 'Tencent', match: { id: 'org:t' } });
  });

  it('flags two records with the same exact name as ambiguous instead of guessing', () => {
    const result = matchName('Acme', [c('org:1', 'Acme', 2), c('org:2', 'ACME', 2)]);
    expect(result.status).toBe('AMBIGUOUS');
    expect(result.match).toBeNull();
    expect(result.candidates.map((x) => x.id)).toEqual(['org:1', 'org:2']);
  });

  it('accepts a one-letter typo in a long word, and never in a short one', () => {
    expect(matchName('bytedanse', [c('org:b', 'ByteDance Ltd.', 4), c('org:x', 'Other', 1)]).status).toBe(
      'MATCHED',
    );
    // "Byte" is not ByteDance: a short word must be spelt exactly.
    expect(matchName('byte', [c('org:b', 'ByteDance Ltd.', 2), c('org:y', 'Byte Inc.', 1.5)])).toMatchObject({
      status: 'MATCHED',
      match: { id: 'org:y' },
    });
    expect(matchName('PDF', [c('org:p', 'PDD Holdings Inc.', 9)]).status).toBe('NOT_FOUND');
  });

  it('flags two records whose distinctive words match about equally well', () => {
    const result = matchName('TikTok', [c('org:a', 'TikTok Ltd.', 1), c('org:b', 'TikTok Pte. Ltd.', 1)]);
    expect(result.status).toBe('AMBIGUOUS');
    expect(result.candidates.map((x) => x.id)).toEqual(['org:a', 'org:b']);
  });

  it('says NOT_FOUND when nothing matches', () => {
    expect(matchName('Nobody', [])).toEqual({
      status: 'NOT_FOUND',
      match: null,
      matchedName: null,
      candidates: [],
      explanation: null,
    });
  });

  it('normalises case, punctuation and spacing', () => {
    expect(normaliseName('  Beijing  ByteDance-Technology Co., Ltd. ')).toBe(
      'beijing bytedance technology co ltd',
    );
  });

  const tencent = c('org:tencent', 'Tencent Holdings Limited', 7.5, ['Tencent', '腾讯控股有限公司']);
  const bytedance = c('org:bytedance', 'ByteDance Ltd.', 3, ['ByteDance', '字节跳动有限公司']);

  it.each([
    ['PDD Holdings', 'a shared legal or generic word'],
    ['Holdings', 'a generic word alone'],
    ['Holdings Group Limited', 'generic words only'],
    ['Tencent Music Entertainment Group', 'a distinctive word the record lacks (music)'],
    ['Tencent Cloud Europe BV', 'a place and a generic word the record lacks'],
    ['Moonshot Capital Holdings', 'finance words that name another business'],
  ])('issue 9: "%s" does not match Tencent Holdings or ByteDance (%s)', (input) => {
    const result = matchName(input, [tencent, bytedance]);
    expect(result.status).toBe('NOT_FOUND');
    expect(result.match).toBeNull();
  });

  it('issue 9: names in other scripts resolve through aliases, with legal forms set aside', () => {
    expect(matchName('字节跳动', [tencent, bytedance])).toMatchObject({
      status: 'MATCHED',
      match: { id: 'org:bytedance' },
      matchedName: '字节跳动有限公司',
    });
    expect(matchName('腾讯控股', [tencent, bytedance])).toMatchObject({ match: { id: 'org:tencent' } });
  });

  it('issue 9: scores lie in [0, 1], 1 only for the same name, and say which alias and words', () => {
    expect(scoreName('TENCENT', 'Tencent').score).toBe(1);
    const result = matchName('Tencent Holdings Ltd', [tencent, bytedance]);
    expect(result.status).toBe('MATCHED');
    expect(result.match!.score).toBeGreaterThan(0.85);
    expect(result.match!.score).toBeLessThan(1);
    expect(result.explanation).toMatchObject({
      matchedName: 'Tencent Holdings Limited',
      matchedTokens: [{ input: 'tencent', name: 'tencent', edits: 0 }],
      ignoredTokens: ['limited', 'holding'],
    });
    expect(result.explanation!.sentence).toBe(
      'Matched "Tencent Holdings Limited" on "tencent"; set aside "limited", "holding".',
    );
    for (const x of result.candidates) {
      expect(x.score).toBeGreaterThan(0);
      expect(x.score).toBeLessThanOrEqual(1);
    }
  });

  it('explains a typo match by the edit', () => {
    const result = matchName('Tencnet', [tencent]);
    expect(result.status).toBe('MATCHED');
    expect(result.explanation!.sentence).toBe('Matched "Tencent" on "tencnet" ~ "tencent" (1 edit).');
  });

  it('reads "U.S." as "US" and "Byte Dance" as "ByteDance"', () => {
    expect(normaliseName('U.S. Department of Defense')).toBe('us department of defense');
    expect(matchName('Byte Dance Ltd', [tencent, bytedance]).match?.id).toBe('org:bytedance');
  });

  it('issue 9: an over-long entry gets an error of its own, naming the entry', () => {
    const long = 'Acme '.repeat(100);
    expect(checkScreenName(long, ['customers', 'names', 3])).toEqual({
      code: 'INVALID_ARGUMENT',
      path: ['customers', 'names', 3],
      message:
        'Name at "customers.names.3" has 499 characters and 100 words; at most 300 and 40 are screened.',
    });
    expect(checkScreenName('  ', ['customers', 'names', 0])?.message).toBe(
      'Name at "customers.names.0" is empty.',
    );
    expect(checkScreenName('Tencent Holdings', ['customers', 'names', 1])).toBeNull();
  });
});

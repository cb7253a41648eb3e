import { matchName, normaliseName, type Candidate } from '../nameMatch';

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

  it('accepts a fuzzy best hit only when it clearly outscores the next', () => {
    expect(matchName('bytedanse', [c('org:b', 'ByteDance Ltd.', 4), c('org:x', 'Other', 1)]).status).toBe(
      'MATCHED',
    );
    expect(matchName('byte', [c('org:b', 'ByteDance Ltd.', 2), c('org:y', 'Byte Inc.', 1.5)]).status).toBe(
      'AMBIGUOUS',
    );
  });

  it('says NOT_FOUND when nothing matches', () => {
    expect(matchName('Nobody', [])).toEqual({
      status: 'NOT_FOUND',
      match: null,
      matchedName: null,
      candidates: [],
    });
  });

  it('normalises case, punctuation and spacing', () => {
    expect(normaliseName('  Beijing  ByteDance-Technology Co., Ltd. ')).toBe(
      'beijing bytedance technology co ltd',
    );
  });
});

import { describeStep } from '../sentences';

describe('describeStep: one step of a connection in words', () => {
  it.each<[string, Parameters<typeof describeStep>, string]>([
    [
      'a declared derivation is stated as fact',
      ['DERIVED_FROM', 'R1-Distill-Qwen-7B', 'Qwen2.5-Math-7B', undefined, { basis: 'DECLARED' }],
      'R1-Distill-Qwen-7B is derived from Qwen2.5-Math-7B',
    ],
    [
      'an alleged derivation names its accuser and is not stated as fact',
      ['DERIVED_FROM', 'DeepSeek-R1', 'OpenAI models', undefined, { basis: 'ALLEGED', accusers: ['OpenAI'] }],
      'DeepSeek-R1 is alleged (by OpenAI) to be derived from OpenAI models',
    ],
    [
      'several accusers are listed',
      [
        'DERIVED_FROM',
        'DeepSeek-R1',
        'OpenAI models',
        undefined,
        { basis: 'ALLEGED', accusers: ['OpenAI', 'Microsoft', 'Anthropic'], status: 'ALLEGED' },
      ],
      'DeepSeek-R1 is alleged (by OpenAI, Microsoft and Anthropic) to be derived from OpenAI models',
    ],
    [
      'an alleged derivation without a known accuser',
      ['DERIVED_FROM', 'M', 'P', undefined, { basis: 'ALLEGED' }],
      'M is alleged to be derived from P',
    ],
    [
      'a denied allegation says so',
      ['DERIVED_FROM', 'M', 'P', undefined, { basis: 'ALLEGED', accusers: ['A'], status: 'DENIED' }],
      'M is alleged (by A) to be derived from P (the accused deny it)',
    ],
    [
      'a confirmed allegation says so',
      ['DERIVED_FROM', 'M', 'P', undefined, { basis: 'ALLEGED', accusers: ['A'], status: 'CONFIRMED' }],
      'M is alleged (by A) to be derived from P (the allegation is confirmed)',
    ],
    [
      'an unresolved allegation says so',
      ['DERIVED_FROM', 'M', 'P', undefined, { basis: 'ALLEGED', accusers: ['A'], status: 'UNRESOLVED' }],
      'M is alleged (by A) to be derived from P (the allegation is unresolved)',
    ],
    [
      'an ownership with its share and start',
      [
        'OWNS',
        'ByteDance Ltd.',
        'TikTok USDS',
        { share: '19.9%', undisclosed: false, startDate: '2026-01-22' },
      ],
      'ByteDance Ltd. owns 19.9% of TikTok USDS (since 2026-01-22)',
    ],
    [
      'an undisclosed stake',
      ['OWNS', 'A', 'B', { share: '', undisclosed: true }],
      'A owns an undisclosed stake in B',
    ],
    [
      'another relationship by its verb',
      ['OFFERS', 'Amazon Bedrock', 'Claude'],
      'Amazon Bedrock offers Claude',
    ],
    ['an unknown relationship in lower case', ['SUPPLIES_TO', 'A', 'B'], 'A supplies to B'],
  ])('%s', (_, args, sentence) => {
    expect(describeStep(...args)).toBe(sentence);
  });
});

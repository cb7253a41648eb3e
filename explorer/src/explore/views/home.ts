/** /explore: where to start, with links that open each kind of view on the seed. */
import { h, title } from '../dom';
import { href } from '../route';

const STARTS: Array<[string, string]> = [
  [href({ entity: 'org:bytedance' }), 'ByteDance Ltd.: owners and holdings'],
  [
    href({ entity: 'org:tiktok-pte-ltd', policy: 'policy:anthropic-unsupported-regions-2025' }),
    'Is TikTok Pte. Ltd. covered by Anthropic’s restriction?',
  ],
  [
    href({ policy: 'policy:anthropic-unsupported-regions-2025' }),
    'Everything Anthropic’s restriction covers',
  ],
  [
    href({ model: 'model:deepseek-r1', customer: 'org:bytedance' }),
    'DeepSeek-R1: lineage, and can ByteDance reach it?',
  ],
  [
    href({ model: 'model:claude-sonnet-4.5', customer: 'org:bytedance' }),
    'Claude Sonnet 4.5 for ByteDance: the access matrix',
  ],
  [href({ view: 'screen' }), 'Screen a customer list'],
];

export function homeView(): HTMLElement[] {
  return [
    title(
      'Explore the graph',
      'Search above (organizations, persons, models, policies), or start from one of these:',
    ),
    h(
      'ul',
      { class: 'starts' },
      STARTS.map(([link, text]) => h('li', {}, h('a', { href: link }, text))),
    ),
    h(
      'p',
      { class: 'hint' },
      'Every view has its own address: copy the URL to share what you see. The raw API is in ',
      h('a', { href: '/graphiql' }, 'GraphiQL'),
      '.',
    ),
  ];
}

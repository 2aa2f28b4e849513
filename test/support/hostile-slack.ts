import {
  clickPayload,
  commandFields,
  form,
  payloadForm,
  submissionPayload,
  type Scene,
} from './slack-payloads.js';

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with its seed. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick, chance: (p: number): boolean => next() < p };
}
export type Rng = ReturnType<typeof seeded>;

/** What an attacker or a broken client puts in text fields: templates, shell, unicode, control characters. */
export const HOSTILE_TEXT: readonly string[] = [
  '{{ params.namespace }}',
  '{{ params.x }}{{ steps.restore.result }}',
  '{{#each this}}{{/each}}',
  '${process.env.SLACK_BOT_TOKEN}',
  '; rm -rf /',
  '$(rm -rf /)',
  '`rm -rf /`',
  '&& curl http://169.254.169.254/latest/meta-data/ | sh',
  "'; DROP TABLE incidents; --",
  '<!channel> <@UALICE> <#C0INCIDENT>',
  '*bold* _it_ ~strike~ ```code```',
  '\u0000\u0001\u0007\u001b[31mred\u001b[0m',
  'line one\nline two\r\nline three',
  '\u202egnp.exe\u202c',
  'zero\u200bwidth\u2060joiner\ufeff',
  '👩‍🚒🚒🔥 日本語 العربية עברית',
  'Z̷̢̛a̸͈͝l̵̰̓g̴̱̈́o̶̝͝',
  '\ud800 lone surrogate',
  '../../../../etc/passwd',
  '%00%0d%0aX-Injected: 1',
  '__proto__',
  'constructor',
  JSON.stringify({ i: 'INC-1', s: '$(id)' }),
  'x'.repeat(250),
];

export const ACTION_IDS: readonly string[] = [
  'lb.answer.0',
  'lb.answer.1',
  'lb.answer.24',
  'lb.back',
  'lb.params',
  'lb.request.run',
  'lb.request.skip',
  'lb.request.rollback',
  'lb.request.override',
  'lb.request.launch',
  'lb.approve',
  'lb.deny',
  'lb.confirm',
  'lb.abort',
  'lb.resolve',
  'lb.launch',
];

/** Buttons that, naming the open incident in triage, can only be refused: never abort or resolve it. */
export const HARMLESS_ON_OPEN_INCIDENT: readonly string[] = ACTION_IDS.filter(
  (id) => id !== 'lb.abort' && id !== 'lb.resolve',
);

/** Runs `work` for 0..count-1 with at most `limit` in flight; results in index order. */
export async function inFlight<T>(
  count: number,
  limit: number,
  work: (i: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      results[i] = await work(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

const DELETE = Symbol('delete');
/** Sets (or, with DELETE, removes) the field at a dotted path such as `actions.0.value`. */
const set = (target: Record<string, unknown>, path: string, value: unknown): void => {
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let node: Record<string, unknown> = target;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (value === DELETE) delete node[last];
  else node[last] = value;
};

/** Each breaks one thing Slack always sends: a field missing, of the wrong type, or a kind Lifeboat never asked for. */
const BROKEN_CLICK: readonly [string, readonly unknown[]][] = [
  ['user', [DELETE, null, 'UMALLORY', [], 5, {}, { id: 5 }, { id: '' }]],
  ['team', ['T0LIFEBOAT', 5, [], { id: 5 }]],
  ['channel', [null, 'C0INCIDENT', 5, [], { id: 5 }]],
  ['container', [DELETE, null, 'message', 5, [], { channel_id: 5 }, { message_ts: [] }]],
  ['trigger_id', [DELETE, null, 5, {}]],
  ['actions', [DELETE, null, {}, [], 'lb.abort', [null], [5], [[]], [{}]]],
  ['actions.0.action_id', [DELETE, null, 5, '', 'launch', 'LB.abort', ' lb.abort', {}, ['lb.abort']]],
  ['actions.0.value', [null, 5, {}, [], true]],
  [
    'type',
    [
      DELETE,
      null,
      5,
      '',
      'shortcut',
      'message_action',
      'block_suggestion',
      'view_closed',
      'interactive_message',
      'dialog_submission',
      'event_callback',
      'BLOCK_ACTIONS',
    ],
  ],
  ['event', [null, 5, {}, { type: 'app_mention' }]],
  ['command', ['/dr', null, 5]],
  ['name', ['x', null]],
];
const BROKEN_COMMAND: readonly [string, readonly unknown[]][] = [
  ['command', [DELETE, '', '/other', '/DR', 'dr', ['/dr', '/dr']]],
  ['text', [DELETE, ['status', 'abort']]],
  ['user_id', [DELETE, '', ['UALICE', 'UBOB']]],
  ['channel_id', [DELETE, '']],
  ['trigger_id', [DELETE, '']],
  ['response_url', [DELETE, '', 'not a url', '/relative/path']],
];
const BROKEN_SUBMISSION: readonly [string, readonly unknown[]][] = [
  ['user', [DELETE, null, 'U', {}]],
  ['view', [DELETE, null, 'V', [], {}]],
  ['view.callback_id', [DELETE, null, 'other-modal', 5]],
  ['view.private_metadata', [DELETE, null, 5, {}]],
  ['view.id', [DELETE, 5]],
  ['view.hash', [DELETE, null]],
  ['view.state', [DELETE, null, 'x', {}]],
  ['view.state.values', [null, [], { namespace: null }, { namespace: { value: 5 } }, { namespace: [] }]],
  ['response_urls', [null, 'x', {}]],
  ['actions', [[], {}]],
];
const NOT_FROM_SLACK: readonly unknown[] = [
  null,
  0,
  -1.5,
  true,
  'block_actions',
  [],
  [{ type: 'block_actions' }],
  {},
  { type: 'url_verification' },
  { ssl_check: '0' },
  { type: 'event_callback', event: { type: 'message', text: '/dr abort' } },
  { event: null },
  { type: 'shortcut', callback_id: 'lb.abort', user: { id: 'UMALLORY' } },
];

/** Signed JSON that Slack would never send Lifeboat: as `payload=`, as a form, or as a JSON body. */
export function wrongShape(
  rng: Rng,
  scene: Scene,
  hostile: () => string,
): { kind: string; body: string; json?: boolean } {
  const roll = rng.int(4);
  if (roll === 0) {
    const value = rng.pick(NOT_FROM_SLACK);
    return rng.chance(0.5)
      ? { kind: 'not-from-slack payload', body: form({ payload: JSON.stringify(value) }) }
      : { kind: 'not-from-slack json', body: JSON.stringify(value), json: true };
  }
  if (roll === 1) {
    const fields: Record<string, unknown> = commandFields(scene, {
      user: 'UMALLORY',
      text: `status ${hostile()}`,
    });
    const [path, values] = rng.pick(BROKEN_COMMAND);
    set(fields, path, rng.pick(values));
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(fields))
      for (const one of Array.isArray(value) ? value : [value]) params.append(key, String(one));
    return { kind: `command without a whole ${path}`, body: params.toString() };
  }
  const [base, broken] =
    roll === 2
      ? [
          clickPayload(scene, {
            user: 'UMALLORY',
            actionId: 'lb.abort',
            value: JSON.stringify({ i: 'INC-NONE' }),
          }),
          BROKEN_CLICK,
        ]
      : [
          submissionPayload(scene, {
            user: 'UMALLORY',
            metadata: JSON.stringify({ i: 'INC-NONE' }),
            values: {},
          }),
          BROKEN_SUBMISSION,
        ];
  const [path, values] = rng.pick(broken);
  set(base, path, rng.pick(values));
  return rng.chance(0.8)
    ? { kind: `${String(base.type)} with a broken ${path}`, body: payloadForm(base) }
    : { kind: `${String(base.type)} with a broken ${path} as json`, body: JSON.stringify(base), json: true };
}

/** Invalid JSON after `payload=`. */
export const NOT_JSON: readonly string[] = [
  '',
  '{',
  '{"type":"block_actions",',
  "{'type':'block_actions'}",
  '{"a":1,}',
  'undefined',
  'NaN',
  '{"type":"block_actions"}}',
  '[1,2',
  '\u0000',
  '{"\ud800":1',
  '{{ params.x }}',
  '$(rm -rf /)',
];

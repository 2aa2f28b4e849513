import type { RawOptions } from '../../src/sandbox/slack/driver.js';
import { slackSignature } from '../../src/sandbox/slack/driver.js';
import { CHANNEL, SECRET } from './e2e.js';
import {
  ACTION_IDS,
  HARMLESS_ON_OPEN_INCIDENT,
  HOSTILE_TEXT,
  NOT_JSON,
  wrongShape,
  type Rng,
} from './hostile-slack.js';
import {
  clickPayload,
  commandFields,
  form,
  payloadForm,
  submissionPayload,
  type Scene,
} from './slack-payloads.js';

/** One request, and the answer the bot must give it (the table in test/fuzz/slack-events.test.ts). */
export type HostileRequest = {
  readonly kind: string;
  readonly expect: number;
  readonly body: string;
  readonly options?: RawOptions;
  readonly cutOff?: boolean;
  /** The NoteAdded text a deliberate `/dr note` must leave. */
  readonly note?: string;
};

const now = (): number => Math.floor(Date.now() / 1000);

/** Any request Slack might send, whole: what the signature classes then spoil. */
function wholeRequest(rng: Rng, scene: Scene): string {
  const hostile = rng.pick(HOSTILE_TEXT);
  return rng.pick([
    () =>
      payloadForm(
        clickPayload(scene, {
          user: 'UMALLORY',
          actionId: 'lb.abort',
          value: JSON.stringify({ i: scene.incidentId }),
        }),
      ),
    () => form(commandFields(scene, { user: 'UMALLORY', text: `abort ${hostile}` })),
    () =>
      payloadForm(
        submissionPayload(scene, {
          user: 'UMALLORY',
          metadata: JSON.stringify({ i: scene.incidentId }),
          values: {},
        }),
      ),
  ])();
}

/** Ids one step from the open incident's (its suffix is hex, so never a `z`). */
function lookalike(rng: Rng, scene: Scene): string {
  const id = scene.incidentId;
  return rng.pick([
    `${id.slice(0, -1)}z`,
    id.toLowerCase(),
    `${id} `,
    `${id}\u0000`,
    `DRILL-${id.slice(4)}`,
    'INC-19700101-000000',
  ]);
}

/** Signed, whole, and meaningless: the bot acks and tells the person; nothing changes. */
function meaningless(rng: Rng, scene: Scene): HostileRequest {
  const hostile = rng.pick(HOSTILE_TEXT);
  const user = rng.pick(['UALICE', 'UMALLORY', 'UNOBODY', `U${hostile.slice(0, 20)}`]);
  const click = (actionId: string, value: string, kind: string): HostileRequest => ({
    kind,
    expect: 200,
    body: payloadForm(
      clickPayload(scene, { user, actionId, value, channel: rng.pick([CHANNEL, 'C0ELSEWHERE']) }),
    ),
  });
  switch (rng.int(6)) {
    case 0:
      return click(
        rng.pick(ACTION_IDS),
        JSON.stringify({ i: rng.chance(0.5) ? lookalike(rng, scene) : hostile.slice(0, 100), v: rng.int(9) }),
        'button naming no incident',
      );
    case 1: {
      const value = {
        i: scene.incidentId,
        n: rng.pick([hostile.slice(0, 100), 'other']),
        s: hostile.slice(0, 100),
        g: rng.pick(['run', 'skip', 'rollback', 'override'] as const),
        b: hostile.slice(0, 64),
        o: rng.int(25),
        a: 1 + rng.int(1000),
      };
      return click(
        rng.pick(HARMLESS_ON_OPEN_INCIDENT),
        JSON.stringify(value),
        'button the open incident cannot take now',
      );
    }
    case 2:
      return click(
        rng.pick(ACTION_IDS),
        rng.pick([
          hostile,
          '{}',
          '[]',
          'null',
          '{"i":""}',
          '{"i":5}',
          `{"i":"${scene.incidentId}","rm":"-rf"}`,
          'x'.repeat(5000),
        ]),
        'button value not ours',
      );
    case 3: {
      const here = rng.chance(0.5);
      const text = here
        ? rng.pick([
            'status',
            'help',
            '',
            'runbooks',
            'backups',
            `declare ${hostile}`,
            `drill ${hostile}`,
            hostile,
            `launch ${hostile}`,
            'note',
            'note   ',
          ])
        : rng.pick(['status', 'resolve', `abort ${hostile}`, `note ${hostile}`, 'timeline']);
      const channel = here ? CHANNEL : rng.pick(['C0NOWHERE', `C${hostile.slice(0, 30)}`]);
      return {
        kind: `/dr that changes nothing ${here ? 'here' : 'elsewhere'}`,
        expect: 200,
        body: form(commandFields(scene, { user, text, channel })),
      };
    }
    case 4: {
      const metadata = rng.pick([hostile, JSON.stringify({ i: lookalike(rng, scene) }), '{"i":5}', '{}', '']);
      const values = { namespace: { value: { type: 'plain_text_input', value: hostile } } };
      return {
        kind: 'modal for no incident',
        expect: 200,
        body: payloadForm(submissionPayload(scene, { user, metadata, values })),
      };
    }
    default:
      return rng.chance(0.5)
        ? {
            kind: 'ssl_check',
            expect: 200,
            body: form({ ssl_check: '1', payload: '{"type":"block_actions"}' }),
            ...(rng.chance(0.5) ? { options: { signature: null } } : {}),
          }
        : {
            kind: 'url_verification',
            expect: 200,
            body: JSON.stringify({ type: 'url_verification', challenge: hostile }),
            options: { contentType: 'application/json' },
          };
  }
}

function huge(rng: Rng, scene: Scene): HostileRequest {
  const size = 1_100_000 + rng.int(2_900_000);
  switch (rng.int(4)) {
    case 0:
      return {
        kind: 'over 4 MB',
        expect: 413,
        body: `payload=${'x'.repeat(4_300_000 + rng.int(1_000_000))}`,
        ...(rng.chance(0.5) ? { options: { signature: null } } : {}),
      };
    case 1:
      return {
        kind: '1-4 MB, whole',
        expect: 200,
        body: payloadForm(
          clickPayload(scene, { user: 'UMALLORY', actionId: 'lb.abort', value: 'x'.repeat(size) }),
        ),
      };
    case 2:
      return { kind: '1-4 MB, not JSON', expect: 400, body: `payload=${'{'.repeat(size)}` };
    default:
      return {
        kind: '1-4 MB, unsigned',
        expect: 401,
        body: `payload=${'{'.repeat(size)}`,
        options: { signature: null },
      };
  }
}

/** The classes, by how often they come up; the last takes what is left. */
export function hostileRequest(rng: Rng, scene: Scene, i: number): HostileRequest {
  const roll = rng.next();
  const hostile = rng.pick(HOSTILE_TEXT);
  if (roll < 0.005) {
    // What Slack delivers: a form cannot carry a lone surrogate, and the bot trims.
    const text = Buffer.from(`fuzz-note-${i} ${hostile}`).toString().trim();
    return {
      kind: 'deliberate note',
      expect: 200,
      body: form(commandFields(scene, { user: 'UALICE', text: `note ${text}`, triggerId: `fuzz-note-${i}` })),
      note: text,
    };
  }
  if (roll < 0.01) return huge(rng, scene);
  if (roll < 0.013)
    return { kind: 'cut off on the wire', expect: 400, body: wholeRequest(rng, scene), cutOff: true };
  if (roll < 0.015) {
    const metadata = JSON.stringify({ i: scene.incidentId });
    return {
      kind: 'modal for the open incident, before its runbook',
      expect: 200,
      body: payloadForm(submissionPayload(scene, { user: 'UMALLORY', metadata, values: {} })),
    };
  }
  if (roll < 0.2) {
    const body = wholeRequest(rng, scene);
    const ts = now();
    const signature = rng.pick([
      null,
      slackSignature('not-the-secret', ts, body),
      slackSignature(SECRET, ts, `${body}&x=1`),
      slackSignature(SECRET, ts, body).replace('v0=', 'v1='),
      slackSignature(SECRET, ts, body).toUpperCase(),
      'v0=',
      '',
      hostile.replace(/[^\x20-\x7e]/g, '?'),
    ]);
    return {
      kind: `signature ${signature === null ? 'missing' : 'wrong'}`,
      expect: 401,
      body,
      options: { signature, timestamp: ts },
    };
  }
  if (roll < 0.26)
    return {
      kind: 'stale timestamp',
      expect: 401,
      body: wholeRequest(rng, scene),
      options: { timestamp: now() - 360 - rng.int(86_400) },
    };
  if (roll < 0.32)
    return {
      kind: 'future timestamp',
      expect: 401,
      body: wholeRequest(rng, scene),
      options: { timestamp: now() + 360 + rng.int(86_400) },
    };
  if (roll < 0.36) {
    const timestamp = rng.pick([
      '',
      'abc',
      '1e99',
      '-1',
      '0x10',
      '   ',
      '17000000000000000000000',
      `0${now()}`,
    ]);
    return { kind: 'garbage timestamp', expect: 401, body: wholeRequest(rng, scene), options: { timestamp } };
  }
  if (roll < 0.43) {
    const contentType = rng.pick([
      'text/plain',
      'application/json',
      'application/x-www-form-urlencoded; charset=utf-8',
      'multipart/form-data; boundary=x',
      'Application/X-WWW-Form-Urlencoded',
      null,
    ]);
    return {
      kind: 'wrong content type',
      expect: 400,
      body: wholeRequest(rng, scene),
      options: { contentType },
    };
  }
  if (roll < 0.5) {
    const whole = payloadForm(
      clickPayload(scene, { user: 'UMALLORY', actionId: rng.pick(ACTION_IDS), value: hostile }),
    );
    return { kind: 'truncated payload', expect: 400, body: whole.slice(0, rng.int(whole.length - 3)) };
  }
  if (roll < 0.57)
    return { kind: 'payload not JSON', expect: 400, body: form({ payload: rng.pick(NOT_JSON) }) };
  if (roll < 0.79) {
    const broken = wrongShape(rng, scene, () => rng.pick(HOSTILE_TEXT));
    return {
      kind: broken.kind,
      expect: 400,
      body: broken.body,
      ...(broken.json ? { options: { contentType: 'application/json' } } : {}),
    };
  }
  return meaningless(rng, scene);
}

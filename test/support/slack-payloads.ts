import net from 'node:net';
import { slackSignature } from '../../src/sandbox/slack/driver.js';

/** Slack's requests to the bot built by hand, field by field, so that a test can spoil any one of them. */

/** What the bot sees of Slack around one request. */
export type Scene = {
  readonly incidentId: string;
  readonly channel: string;
  readonly cardTs: string;
  readonly teamId: string;
  readonly appId: string;
  readonly responseUrl: (user: string, channel: string) => string;
};

export const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
export const payloadForm = (payload: unknown): string => form({ payload: JSON.stringify(payload) });

/** A block_actions payload as Slack sends it for a click on one of the bot's buttons. */
export function clickPayload(
  scene: Scene,
  click: { user: string; actionId: string; value: string; channel?: string },
): Record<string, unknown> {
  const channel = click.channel ?? scene.channel;
  return {
    type: 'block_actions',
    user: { id: click.user, username: 'someone', name: 'someone', team_id: scene.teamId },
    api_app_id: scene.appId,
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: scene.cardTs, channel_id: channel, is_ephemeral: false },
    trigger_id: `13345.${Date.now()}.fuzz`,
    team: { id: scene.teamId, domain: 'lifeboat' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: 'incident' },
    state: { values: {} },
    response_url: scene.responseUrl(click.user, channel),
    actions: [
      {
        type: 'button',
        action_id: click.actionId,
        block_id: 'step',
        text: { type: 'plain_text', text: 'Run' },
        value: click.value,
        action_ts: '1700000000.000001',
      },
    ],
  };
}

/** A slash command's form fields as Slack sends them. */
export function commandFields(
  scene: Scene,
  command: { user: string; text: string; channel?: string; triggerId?: string },
): Record<string, string> {
  const channel = command.channel ?? scene.channel;
  return {
    token: 'legacy-verification-token',
    team_id: scene.teamId,
    team_domain: 'lifeboat',
    channel_id: channel,
    channel_name: 'incident',
    user_id: command.user,
    user_name: 'someone',
    command: '/dr',
    text: command.text,
    api_app_id: scene.appId,
    is_enterprise_install: 'false',
    response_url: scene.responseUrl(command.user, channel),
    trigger_id: command.triggerId ?? `13345.${Date.now()}.fuzz`,
  };
}

/** A submission of the parameters modal. */
export function submissionPayload(
  scene: Scene,
  submit: { user: string; metadata: string; values: Record<string, unknown> },
): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: scene.teamId, domain: 'lifeboat' },
    user: { id: submit.user, username: 'someone', name: 'someone', team_id: scene.teamId },
    api_app_id: scene.appId,
    token: 'legacy-verification-token',
    trigger_id: `13345.${Date.now()}.fuzz`,
    view: {
      id: 'V0FUZZ',
      team_id: scene.teamId,
      type: 'modal',
      callback_id: 'lb.params-modal',
      private_metadata: submit.metadata,
      hash: '1700000000.abcdef',
      blocks: [],
      state: { values: submit.values },
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** Sends a request whose body stops short of its Content-Length, then closes the sending side. */
export function sendCutOff(
  botUrl: string,
  body: string,
  secret: string,
): Promise<{ status: number; ms: number }> {
  const { hostname, port } = new URL(botUrl);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.end(
        [
          'POST /slack/events HTTP/1.1',
          `Host: ${hostname}:${port}`,
          'Content-Type: application/x-www-form-urlencoded',
          `X-Slack-Request-Timestamp: ${timestamp}`,
          `X-Slack-Signature: ${slackSignature(secret, timestamp, body)}`,
          `Content-Length: ${Buffer.byteLength(body) * 2}`,
          '',
          body,
        ].join('\r\n'),
      );
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('close', () =>
      resolve({
        status: Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1] ?? 0),
        ms: performance.now() - started,
      }),
    );
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer to a cut-off request in 10 s')));
  });
}

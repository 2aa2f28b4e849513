import { z } from 'zod';
import { outbound } from '../domain/outbound.js';
import { actionContract, implement } from './contract.js';

/** Posts a message and answers with its timestamp; Slack is behind this port. */
export type Post = (channel: string, text: string) => Promise<string>;

export const notifyContract = actionContract({
  name: 'notify',
  summary: 'Post a message to a Slack channel',
  readOnly: false,
  timeout: '2m',
  input: z.strictObject({
    channel: z.string().min(1).describe('#channel or channel id'),
    message: z.string().min(1).max(3000).describe('message text'),
  }),
  result: { channel: 'where it was posted (in a drill, the drill channel)', ts: 'message timestamp' },
});

/** `notify`: a runbook step that tells people something; in a drill it stays in the drill's channel. */
export function notifyAction(post: Post) {
  return implement(notifyContract, async ({ channel, message }, context) => {
    const target = context.incident
      ? outbound(context.incident, channel, message)
      : { channel, text: message };
    return {
      completed: true,
      result: { channel: target.channel, ts: await post(target.channel, target.text) },
    };
  });
}

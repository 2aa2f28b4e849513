import { outbound } from '../domain/outbound.js';
import { implement } from './contract.js';
import { notifyContract } from './notify-contract.js';

/** Posts a message and answers with its timestamp; Slack is behind this port. */
export type Post = (channel: string, text: string) => Promise<string>;

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

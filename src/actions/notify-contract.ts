import { z } from 'zod';
import { actionContract } from './contract.js';

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

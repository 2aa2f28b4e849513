import { z } from 'zod';
import { GATE_KINDS } from '../../domain/events.js';

/** Button action ids; a suffix keeps ids unique within one actions block (Slack requires it). */
export const ACTION = {
  answer: 'lb.answer',
  back: 'lb.back',
  params: 'lb.params',
  request: 'lb.request',
  approve: 'lb.approve',
  deny: 'lb.deny',
  confirm: 'lb.confirm',
  abort: 'lb.abort',
  resolve: 'lb.resolve',
} as const;

/** What a button carries: the incident and exactly what it acts on. Validated on the way back in. */
export const ButtonValue = z.strictObject({
  i: z.string().min(1).max(100),
  n: z.string().max(100).optional(),
  o: z.number().int().min(0).max(24).optional(),
  s: z.string().max(100).optional(),
  g: z.enum(GATE_KINDS).optional(),
  b: z.string().max(64).optional(),
  a: z.number().int().min(1).max(1000).optional(),
  /** The incident version the card showed: a later click on a re-rendered card is a new click, a double click is not. */
  v: z.number().int().min(0).optional(),
});
export type ButtonValue = z.infer<typeof ButtonValue>;

export function encodeValue(value: ButtonValue): string {
  return JSON.stringify(value);
}

export function decodeValue(text: string): ButtonValue | undefined {
  try {
    const parsed = ButtonValue.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const PARAMS_MODAL = 'lb.params-modal';

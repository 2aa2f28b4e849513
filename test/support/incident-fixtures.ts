import type { Actor, Command, Envelope } from '../../src/domain/commands.js';
import { LIFEBOAT } from '../../src/domain/events.js';
import { Runbook } from '../../src/domain/runbook.js';

/** A small runbook with one ungated step, one destructive step, and a service check. */
export const RESTORE_RUNBOOK = Runbook.parse({
  apiVersion: 'lifeboat/v1',
  kind: 'Runbook',
  id: 'test-restore',
  title: 'Restore for tests',
  scenario: 'tests',
  targets: { rto: '30m', rpo: '24h' },
  params: { namespace: { type: 'k8sName', prompt: 'Namespace' } },
  prerequisites: {
    checks: [
      {
        id: 'fresh',
        title: 'fresh backup',
        action: 'shell',
        readOnly: true,
        with: { command: ['true'] },
        restorePoint: true,
      },
    ],
  },
  steps: [
    { id: 'look', title: 'Look', action: 'shell', with: { command: ['echo', '{{ params.namespace }}'] } },
    {
      id: 'restore',
      title: 'Restore',
      action: 'shell',
      destructive: true,
      with: { command: ['echo', 'restore', '{{ params.namespace }}'] },
      rollback: { action: 'manual', with: { instructions: 'undo' } },
    },
    {
      id: 'smoke',
      title: 'Smoke',
      action: 'shell',
      with: { command: ['true'] },
      restoresService: true,
      idempotent: true,
    },
  ],
});

export const alice: Actor = { id: 'UALICE', memberOf: ['responders', 'approvers'] };
export const bob: Actor = { id: 'UBOB', memberOf: ['responders', 'approvers'] };
export const carol: Actor = { id: 'UCAROL', memberOf: ['responders', 'approvers'] };
export const mallory: Actor = { id: 'UMALLORY', memberOf: [] };
export const system: Actor = { id: LIFEBOAT, memberOf: [] };

export const T0 = Date.parse('2026-11-26T03:00:00Z');

export function envelope(incidentId: string, actor: Actor, now: number, command: Command): Envelope {
  return { incidentId, actor, now, command };
}

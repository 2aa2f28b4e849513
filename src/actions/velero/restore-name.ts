import { createHash } from 'node:crypto';

/** Labels that tie a Restore to the incident step that made it; Velero copies them nowhere else. */
export const INCIDENT_LABEL = 'lifeboat.io/incident';
export const STEP_LABEL = 'lifeboat.io/step';
export const ATTEMPT_LABEL = 'lifeboat.io/attempt';

/** A label-safe piece of text (63 characters, alphanumeric at both ends). */
export const slug = (text: string, max = 63): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, max)
    .replace(/^-+|-+$/g, '') || 'x';

/**
 * `lifeboat-<incident>-<step>-<attempt>`: one name per step attempt, so a retry or another replica
 * finds the Restore already made. Velero copies the restore name into a label on every restored
 * object (velero.io/restore-name), so it must fit 63 characters: a long one is shortened with a hash.
 */
export function restoreName(incidentId: string, step: string, attempt: number): string {
  const plain = `lifeboat-${slug(incidentId)}-${slug(step)}-${attempt}`;
  if (plain.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(plain)) return plain;
  const hash = createHash('sha256').update(`${incidentId}\n${step}`).digest('hex').slice(0, 10);
  const head = `lifeboat-${slug(incidentId, 30)}-${slug(step, 10)}`;
  return `${head}-${hash}-${attempt}`;
}

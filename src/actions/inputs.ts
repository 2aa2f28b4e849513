import { z } from 'zod';
import { Duration, durationSeconds } from '../domain/duration.js';

/** Templates always render to strings, so numbers and flags may arrive as "3" or "true". */
export const WholeNumber = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const number = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isSafeInteger(number) && number >= 0) return number;
  ctx.addIssue({ code: 'custom', message: `expected a whole number, got ${JSON.stringify(value)}` });
  return z.NEVER;
});

export const Flag = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((value) => String(value) === 'true');

/** `within: 5m` as milliseconds. */
export const Within = Duration.transform((text) => durationSeconds(text) * 1000);

/** A Kubernetes object name (DNS-1123 subdomain), so a template can never smuggle a path into a URL. */
export const K8sName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
    message: 'expected a Kubernetes name (lowercase, digits, -)',
  });

export const ClusterName = z.string().min(1);

/** The `cluster` input of every cluster action. */
export const Cluster = ClusterName.describe('cluster name from the config (primary, standby, …)');

/** A namespace the action looks at or changes. */
export const Namespace = K8sName.describe('namespace');

import { z } from 'zod';
import { K8sName } from '../inputs.js';

/** An ISO 8601 time with its offset (`2026-03-01T10:00:00Z`), as milliseconds since the epoch. */
export const Instant = z
  .string()
  .refine(
    (text) => /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text) && !Number.isNaN(Date.parse(text)),
    {
      message: 'expected an ISO time with its offset, such as 2026-03-01T10:00:00Z',
    },
  )
  .transform((text) => Date.parse(text));

/** Kubernetes names as a YAML list or a comma-separated string (templates render to strings). */
export const NameList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(',')).map((name) => name.trim()).filter(Boolean),
  )
  .pipe(z.array(K8sName));

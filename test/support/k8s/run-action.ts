import os from 'node:os';
import type { ActionRegistry, ClusterTarget } from '../../../src/engine/action-port.js';
import { runCall, type CallOutcome } from '../../../src/engine/run-call.js';
import type { Expect } from '../../../src/domain/expect.js';

export type Clusters = Record<string, Omit<ClusterTarget, 'name'>>;
export type Ran = CallOutcome & { readonly progress: string[] };
export type RunOptions = {
  timeout?: string;
  expect?: Expect;
  signal?: AbortSignal;
  values?: Record<string, string>;
  onProgress?: (line: string) => void;
  incidentId?: string;
};

/** Runs one action the way the engine does (templates, timeout, expect), collecting its progress lines. */
export function actionRunner(registry: ActionRegistry, clusters: Clusters) {
  return async (action: string, input: Record<string, unknown>, options: RunOptions = {}): Promise<Ran> => {
    const progress: string[] = [];
    const values = options.values ?? {};
    const outcome = await runCall(
      registry,
      {
        action,
        with: input,
        ...(options.timeout ? { timeout: options.timeout } : {}),
        ...(options.expect ? { expect: options.expect } : {}),
      },
      (path) => values[path.join('.')],
      {
        incidentId: options.incidentId ?? 'INC-2042',
        workdir: os.tmpdir(),
        signal: options.signal ?? new AbortController().signal,
        progress: (line) => {
          progress.push(line);
          options.onProgress?.(line);
        },
        cluster: (name) => {
          const cluster = Object.hasOwn(clusters, name) ? clusters[name] : undefined;
          return cluster ? { name, ...cluster } : undefined;
        },
      },
    );
    return { ...outcome, progress };
  };
}

import { Watch } from '@kubernetes/client-node';
import { explain, KubeError, type Operation } from '../k8s/errors.js';
import { retryDelayMs } from '../k8s/retry.js';
import type { Kube } from '../k8s/kube-action.js';
import { getVelero, Restore, RESTORES } from './objects.js';

export const TERMINAL_PHASES = new Set(['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation']);

/** How following a Restore ended: it finished, time ran out, the run was stopped, or the API said no. */
export type Followed =
  | { readonly end: 'finished'; readonly restore: Restore }
  | { readonly end: 'timeout' | 'stopped'; readonly last?: Restore; readonly unreachable?: KubeError }
  | { readonly end: 'failed'; readonly error: KubeError; readonly last?: Restore };

export type Follow = {
  readonly kube: Kube;
  readonly namespace: string;
  readonly name: string;
  readonly deadline: number;
  readonly signal: AbortSignal;
  readonly progress: (line: string) => void;
};

/** `InProgress: 120/300 items`, or just the phase before Velero has counted. */
export function describeRestore(restore: Restore | undefined): string {
  const phase = restore?.status?.phase || 'New';
  const progress = restore?.status?.progress;
  return progress?.totalItems
    ? `${phase}: ${progress.itemsRestored ?? 0}/${progress.totalItems} items`
    : phase;
}

const FIRST_PAUSE_MS = 100;
const LONGEST_PAUSE_MS = 5000;

/**
 * Follows one Restore to a terminal phase: GET it, then WATCH it from that resourceVersion; when
 * the watch drops (API servers cut watches, networks blink) GET and WATCH again after a pause, so
 * a phase change during the gap is seen by the GET. Only 401/403/404 and the deadline give up.
 */
class Follower {
  private settled = false;
  private last: Restore | undefined;
  private line = '';
  private watching: AbortController | undefined;
  private retry: NodeJS.Timeout | undefined;
  private pause = FIRST_PAUSE_MS;
  private unreachable: KubeError | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private readonly op: Operation;
  private readonly onAbort = (): void => this.end({ end: 'stopped', ...this.seen() });

  constructor(
    private readonly follow: Follow,
    private readonly resolve: (followed: Followed) => void,
  ) {
    this.op = { verb: 'watch', resource: RESTORES, namespace: follow.namespace, name: follow.name };
  }

  start(): void {
    const { signal, deadline } = this.follow;
    this.deadline = setTimeout(() => this.end({ end: 'timeout', ...this.seen() }), deadline - Date.now());
    if (signal.aborted) return this.onAbort();
    signal.addEventListener('abort', this.onAbort, { once: true });
    void this.connect();
  }

  private seen() {
    return {
      ...(this.last ? { last: this.last } : {}),
      ...(this.unreachable ? { unreachable: this.unreachable } : {}),
    };
  }

  private end(followed: Followed): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.deadline);
    clearTimeout(this.retry);
    this.watching?.abort();
    this.follow.signal.removeEventListener('abort', this.onAbort);
    this.resolve(followed);
  }

  private async connect(): Promise<void> {
    const { kube, namespace, name } = this.follow;
    try {
      const current = await getVelero(kube, RESTORES, namespace, name, Restore);
      if (this.unreachable)
        this.follow.progress(`reached the API server of cluster ${kube.target.name} again`);
      this.unreachable = undefined;
      this.observe(current);
      if (this.settled) return;
      const path = `/apis/velero.io/v1/namespaces/${encodeURIComponent(namespace)}/restores`;
      const query = {
        fieldSelector: `metadata.name=${name}`,
        resourceVersion: this.last?.metadata.resourceVersion,
      };
      const controller = await new Watch(kube.config).watch(
        path,
        query,
        (type, object) => this.event(type, object),
        (error) => this.dropped(error),
      );
      if (this.settled) controller.abort();
      else this.watching = controller;
    } catch (error) {
      this.trouble(error);
    }
  }

  private event(type: string, object: unknown): void {
    this.pause = FIRST_PAUSE_MS;
    if (type === 'ADDED' || type === 'MODIFIED') this.observe(object);
    else if (type === 'DELETED')
      this.end({
        end: 'failed',
        error: new KubeError(`Restore ${this.follow.name} was deleted while Lifeboat followed it`, false),
        ...this.seen(),
      });
    // ERROR (e.g. 410 Gone): start over from a fresh GET.
    else if (type === 'ERROR') this.watching?.abort();
  }

  private dropped(error: unknown): void {
    if (this.settled) return;
    this.watching = undefined;
    const refused = explain(error ?? new Error('closed'), this.op, this.follow.kube.target);
    // A refusal is final; anything else (a cut stream, a timeout) is only a reason to look again.
    if (typeof refused.status === 'number' && !refused.transient) this.trouble(refused);
    else this.later(throttle(refused));
  }

  private trouble(error: unknown): void {
    const problem = explain(error, this.op, this.follow.kube.target);
    if (!problem.transient) return this.end({ end: 'failed', error: problem, ...this.seen() });
    if (!this.unreachable) this.follow.progress(`${problem.message}; still trying`);
    this.unreachable = problem;
    this.later(throttle(problem));
  }

  /** Looks again after the pause, or after what the API server asked for (Retry-After), whichever is longer. */
  private later(atLeastMs = 0): void {
    if (this.settled) return;
    clearTimeout(this.retry);
    this.pause = Math.max(this.pause, atLeastMs);
    this.retry = setTimeout(() => void this.connect(), this.pause);
    this.pause = Math.min(this.pause * 2, LONGEST_PAUSE_MS);
  }

  private observe(raw: unknown): void {
    const parsed = Restore.safeParse(raw);
    if (!parsed.success || parsed.data.metadata.name !== this.follow.name) return;
    this.last = parsed.data;
    const line = describeRestore(this.last);
    if (line !== this.line) this.follow.progress(line);
    this.line = line;
    if (TERMINAL_PHASES.has(this.last.status?.phase ?? '')) this.end({ end: 'finished', restore: this.last });
  }
}

/** A 429 or 5xx is the API server asking for room: wait as client-go would (Retry-After, else at least 1 s). */
function throttle(problem: KubeError): number {
  const status = problem.status;
  if (typeof status !== 'number' || (status !== 429 && status < 500)) return 0;
  return Math.max(1000, retryDelayMs(problem, 2));
}

export function followRestore(follow: Follow): Promise<Followed> {
  return new Promise((resolve) => new Follower(follow, resolve).start());
}

import type { ClusterRef } from '../domain/config.js';
import type { ActionResult, IncidentMode } from '../domain/events.js';

/** A cluster as an action reaches it, after drill mode sent `primary` to the drill cluster. */
export type ClusterTarget = ClusterRef & { readonly name: string };

/** What an action gets besides its inputs: where to work, when to stop, where to report progress. */
export type ActionContext = {
  readonly incidentId: string;
  /** The incident's mode and channel, so that a message for people stays in a drill's own channel. */
  readonly incident?: { readonly mode: IncidentMode; readonly channel: string };
  readonly workdir: string;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly progress: (line: string) => void;
  /** The cluster an input names (`cluster: primary`); in a drill `primary` is the drill cluster. Undefined when not configured. */
  readonly cluster: (name: string) => ClusterTarget | undefined;
  /** The inputs as the runbook wrote them, before templates were filled: lets an action tell code from data. */
  readonly written?: Readonly<Record<string, unknown>>;
};

/**
 * `completed: false` means the action could not do its work (bad input, missing program, timeout):
 * that fails whatever `expect` says. Otherwise `error` says it finished unsuccessfully (e.g. exit 1),
 * which `expect` may still accept.
 */
export type ActionOutcome = {
  readonly completed: boolean;
  readonly result: ActionResult;
  readonly error?: string;
  /** Nothing ran (the sandbox without etcd): the result says what would have; checks are not applied. */
  readonly dryRun?: boolean;
};

/** What the engine must know of an action before it runs it, from the action's contract. */
export type ActionTerms = {
  /** Only read-only actions may run where nobody approves (probes, checks, verifications, choices). */
  readonly readOnly: boolean;
  /** The timeout when the call names none. */
  readonly timeout?: string;
};

/** The port the engine runs actions through; src/actions holds the implementations. */
export interface ActionRegistry {
  /** The action's terms, or undefined when this registry does not know it. */
  terms(action: string): ActionTerms | undefined;
  run(
    action: string,
    input: Readonly<Record<string, unknown>>,
    context: ActionContext,
  ): Promise<ActionOutcome>;
}

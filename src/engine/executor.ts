import { restoreTargets } from '../domain/drill.js';
import type { DrillClusters } from '../domain/drill.js';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Envelope } from '../domain/commands.js';
import { LIFEBOAT, type Evidence, type IncidentEventType } from '../domain/events.js';
import { isClosed, type IncidentState } from '../domain/incident.js';
import { readProbe } from '../domain/probe.js';
import { checkRestorePoint } from '../domain/restore-point.js';
import { isManual, type Step } from '../domain/runbook.js';
import { silent, withFields, type Log } from '../log.js';
import type { EventLog, FeedEntry, StepLeases } from './ports/index.js';
import type { ActionRegistry } from './action-port.js';
import { handle } from './handle.js';
import { redactDeep, redactor } from './redact.js';
import { StateCache } from './state-cache.js';
import type { Sealer } from './seal.js';
import { isSealed } from '../domain/sealed.js';
import type { StepFiles } from './step-files.js';
import { leaseOf, MAX_RERUNS, rerunsWhenAbandoned, workDue, type WorkKey } from './work.js';
import { runCall, unattended, type CallOutcome, type CallSpec } from './run-call.js';
import { clusterLookup, effectiveClusters, runtimeScope, type ClusterConfig } from './scope.js';

export type ExecutorOptions = {
  readonly store: EventLog & StepLeases;
  readonly registry: ActionRegistry;
  /** This replica's name, written on the lease. */
  readonly owner: string;
  readonly leaseMs: number;
  readonly workdirRoot: string;
  readonly clusters?: ClusterConfig;
  readonly drillClusters?: DrillClusters;
  readonly clock?: () => number;
  readonly onError?: (error: unknown) => void;
  /** Every line about a step carries its incident and step. */
  readonly log?: Log;
  /** A live progress line from a running step (already redacted), for the card. */
  readonly onProgress?: (incidentId: string, step: string, line: string) => void;
  /** Whether a program the runbook lists under prerequisites.tools is installed; unset, tools are not checked (a dry run). */
  readonly findTool?: (program: string) => Promise<boolean>;
  /** Opens sealed secret params for the actions that use them. */
  readonly sealer?: Sealer;
  /** Where step files are kept for every replica; unset, they stay in this replica's workdir. */
  readonly stepFiles?: StepFiles;
  /** For metrics: every step result this replica records. */
  readonly onStepFinished?: (action: string, passed: boolean) => void;
};

/** About 20 s of retries: enough for a Redis restart or failover, not for an outage. */
const RECORD_ATTEMPTS = 12;

const WAKES_ON = new Set<IncidentEventType>([
  'IncidentResolved',
  'IncidentAborted',
  'IncidentDeclared',
  'DecisionAnswered',
  'DecisionReverted',
  'ParamsSet',
  'StepStarted',
  'ManualConfirmed',
  'RollbackStarted',
]);

/**
 * Runs what the events ask for: prerequisite checks after ParamsSet, a step after StepStarted, a
 * rollback after RollbackStarted. Each attempt runs at most once across replicas (a claim in the
 * store), under a lease kept alive while it runs; losing the lease stops the work.
 */
export class Executor {
  private readonly running = new Set<AbortController>();
  private readonly jobs = new Set<Promise<void>>();
  private readonly cache = new StateCache();
  private readonly clock: () => number;
  private readonly log: Log;

  constructor(private readonly options: ExecutorOptions) {
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? silent;
  }

  async onFeedEntry(entry: FeedEntry): Promise<void> {
    if (!entry.types.some((type) => WAKES_ON.has(type))) return;
    await this.resume(entry.incidentId);
  }

  /** Starts whatever work the incident's state asks for that nobody holds; the sweeper calls it for a dead runner's read-only work. */
  async resume(incidentId: string): Promise<void> {
    const { state } = await this.cache.load(this.options.store, incidentId);
    if (!state) return;
    if (isClosed(state)) return this.discardFiles(incidentId);
    await Promise.all(workDue(state).map((work) => this.start(state, work)));
  }

  /** A closed incident's step files go, here and in the shared store. */
  private async discardFiles(incidentId: string): Promise<void> {
    await rm(this.workdirOf(incidentId), { recursive: true, force: true }).catch(() => undefined);
    await this.options.stepFiles?.discard(incidentId).catch((error: unknown) =>
      safeLog(this.log, 'warn', 'step files not deleted', {
        incident: incidentId,
        error: messageOf(error),
      }),
    );
  }

  /** Brings in the files earlier steps saved, on whichever replica; says why not, if not. */
  private async bringFiles(state: IncidentState, signal: AbortSignal): Promise<string | undefined> {
    if (!this.options.stepFiles) return undefined;
    try {
      await this.options.stepFiles.restore(state.id, await this.workdir(state.id), signal);
      return undefined;
    } catch (error) {
      return `could not bring this incident's step files from the shared store (config stepFiles): ${messageOf(error)}`;
    }
  }

  /** Saves what this step wrote, before its result is recorded, so the next step finds it on any replica. */
  private async keepFiles(state: IncidentState, signal: AbortSignal): Promise<string | undefined> {
    if (!this.options.stepFiles) return undefined;
    try {
      await this.options.stepFiles.save(state.id, await this.workdir(state.id), signal);
      return undefined;
    } catch (error) {
      return `could not save this step's files to the shared store (config stepFiles), so a later step on another replica would not find them: ${messageOf(error)}`;
    }
  }

  private start(state: IncidentState, work: WorkKey): Promise<void> {
    const step = (id: string) => state.runbook?.steps.find((s) => s.id === id);
    switch (work.kind) {
      case 'probe':
        return this.probe(state, work);
      case 'preflight':
        return this.prerequisites(state, work);
      case 'step': {
        const definition = step(work.step);
        return definition ? this.step(state, definition, work) : Promise.resolve();
      }
      case 'rollback': {
        const definition = step(work.step);
        return definition ? this.rollback(state, definition, work) : Promise.resolve();
      }
    }
  }

  /** Simulates this replica dying: its work stops, its leases are neither renewed nor released. */
  abandonAll(): void {
    for (const controller of this.running) controller.abort(new Error('replica stopped'));
  }

  private workdirOf(incidentId: string): string {
    return path.join(this.options.workdirRoot, incidentId.replace(/[^A-Za-z0-9_-]/g, '_'));
  }

  private async workdir(incidentId: string): Promise<string> {
    const dir = this.workdirOf(incidentId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /**
   * Claims the attempt, then runs `work` in the background under a kept-alive lease, so one long step
   * never holds up the feed. The claim is durable: if this replica dies, the sweeper notices.
   */
  private async underLease(
    state: IncidentState,
    workKey: WorkKey,
    work: (signal: AbortSignal) => Promise<void>,
  ): Promise<void> {
    let recorded = false;
    const { store, owner, leaseMs } = this.options;
    const lease = await this.claim(state.id, workKey);
    if (!lease) return;
    const { key, attempt } = lease;
    const controller = new AbortController();
    const beat = setInterval(
      () => {
        store.heartbeat(state.id, key, attempt, owner, leaseMs).then(
          (kept) => kept || controller.abort(new Error('lease lost')),
          () => undefined,
        );
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    controller.signal.addEventListener('abort', () => clearInterval(beat), { once: true });
    const job = work(controller.signal)
      .then(() => {
        recorded = true;
      })
      .catch((error: unknown) => {
        // Only recording can fail here (the store stayed away): the lease is kept, so it expires and
        // the attempt shows as interrupted — honest, since its result is not in the store.
        safeLog(this.log, 'error', 'could not record a result', {
          incident: state.id,
          step: key,
          attempt,
          error: messageOf(error),
        });
        this.options.onError?.(error);
      })
      .finally(async () => {
        clearInterval(beat);
        this.jobs.delete(job);
        this.running.delete(controller);
        // The lease goes only with the result: a released lease without one would start the step again.
        if (recorded && !controller.signal.aborted)
          await store.releaseLease(state.id, key, attempt, owner).catch(() => undefined);
      });
    this.running.add(controller);
    this.jobs.add(job);
  }

  /**
   * A claim is forever, one run per attempt: a step's attempt comes from the rules; read-only work
   * whose runner died is claimed again under the next re-run number.
   */
  private async claim(
    incidentId: string,
    work: WorkKey,
  ): Promise<{ key: string; attempt: number } | undefined> {
    const { store, owner, leaseMs } = this.options;
    const reruns = rerunsWhenAbandoned(work) ? MAX_RERUNS : 1;
    for (let rerun = 1; rerun <= reruns; rerun++) {
      const lease = leaseOf(work, rerun);
      if ((await store.claimStep(incidentId, lease.key, lease.attempt, owner, leaseMs)) === 'claimed')
        return lease;
      if ((await store.leaseState(incidentId, lease.key, lease.attempt)) !== 'abandoned') return undefined;
    }
    return undefined;
  }

  /** Resolves when every step this replica runs has finished; for shutdown and tests. */
  async idle(): Promise<void> {
    while (this.jobs.size > 0) await Promise.all([...this.jobs]);
  }

  /** Runs one call; whatever goes wrong (templates, the action, redaction) comes back as a failed outcome, never a throw. */
  private async call(
    state: IncidentState,
    spec: CallSpec,
    signal: AbortSignal,
    stepId?: string,
  ): Promise<CallOutcome> {
    try {
      return await this.callOrThrow(state, spec, signal, stepId);
    } catch (error) {
      return failedOutcome(`Lifeboat failed around ${spec.action}: ${messageOf(error)}`);
    }
  }

  private async callOrThrow(
    sealedState: IncidentState,
    spec: CallSpec,
    signal: AbortSignal,
    stepId?: string,
  ) {
    // Secret params are opened only here, for the action; everything it returns is redacted of them.
    const { state, secrets } = openSecrets(sealedState, this.options.sealer);
    const workdir = await this.workdir(state.id);
    // One redactor per call: progress lines can come many a second.
    const redactProgress = redactor(process.env, { values: secrets });
    const scope = runtimeScope(state, workdir, this.options.clusters ?? {}, this.options.drillClusters);
    const cluster = clusterLookup(
      effectiveClusters(this.options.clusters ?? {}, state.mode, this.options.drillClusters),
    );
    const outcome = await runCall(this.options.registry, spec, scope, {
      incidentId: state.id,
      incident: { mode: state.mode, channel: state.channel },
      workdir,
      signal,
      progress: (line) => {
        if (stepId !== undefined) this.options.onProgress?.(state.id, stepId, redactProgress(line));
      },
      cluster,
    });
    // Nothing leaves here unredacted: results are stored in the stream and posted to Slack.
    const stepEnv =
      spec.with?.env !== null && typeof spec.with?.env === 'object'
        ? (spec.with.env as Record<string, string>)
        : {};
    return redactDeep(outcome, redactor({ ...process.env, ...stepEnv }, { values: secrets }));
  }

  /** Appends a result, retrying through a Redis blip; a result the rules refuse is said in the log, not dropped silently. */
  private async record(
    state: IncidentState,
    command: Envelope['command'],
    signal: AbortSignal,
  ): Promise<void> {
    const envelope = {
      incidentId: state.id,
      actor: { id: LIFEBOAT, memberOf: [] },
      now: this.clock(),
      command,
    };
    // A result lost to a Redis blip would make people run the step again: keep trying for a while.
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return; // a dead replica records nothing
      let outcome;
      try {
        outcome = await handle(this.options.store, envelope, { cache: this.cache });
      } catch (error) {
        if (attempt >= RECORD_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 250 * 2 ** attempt)));
        continue;
      }
      if (!outcome.ok)
        safeLog(this.log, 'warn', 'result not recorded', {
          incident: state.id,
          command: command.type,
          reason: outcome.rejection.message,
        });
      return;
    }
  }

  private evidence(title: string, outcome: Awaited<ReturnType<Executor['call']>>): Evidence {
    return {
      title,
      passed: outcome.passed,
      result: outcome.result,
      failures: outcome.error ? [outcome.error, ...outcome.failures] : outcome.failures,
    };
  }

  /** A decision-tree probe: read-only, run once when its question is shown. */
  private async probe(state: IncidentState, work: Extract<WorkKey, { kind: 'probe' }>): Promise<void> {
    const id = work.node;
    const probe = state.tree?.nodes[id]?.probe;
    if (!probe) return;
    await this.underLease(state, work, async (signal) => {
      const outcome = await this.call(state, unattended(probe), signal);
      const reading = readProbe(outcome);
      await this.record(
        state,
        { type: 'RecordProbe', node: id, evidence: this.evidence(probe.action, outcome), reading },
        signal,
      );
      safeLog(this.log, 'info', `probe ${reading.verdict}`, {
        incident: state.id,
        node: id,
        action: probe.action,
        ...(reading.why ? { why: reading.why } : {}),
      });
    });
  }

  private prerequisites(state: IncidentState, work: Extract<WorkKey, { kind: 'preflight' }>): Promise<void> {
    return this.underLease(state, work, async (signal) => {
      const checks: (Evidence & { id: string })[] = [];
      let restorePoint: number | undefined;
      // Only a missing program is worth a line of evidence; the step would fail on it much later.
      for (const tool of state.runbook?.prerequisites?.tools ?? []) {
        if (!this.options.findTool || (await this.options.findTool(tool))) continue;
        checks.push({
          id: `tool:${tool}`,
          title: `${tool} is installed`,
          passed: false,
          result: { found: false },
          failures: [`${tool} is not on PATH where Lifeboat runs steps; install it in Lifeboat's image`],
        });
      }
      checks.push(...this.isolation(state));
      for (const check of state.runbook?.prerequisites?.checks ?? []) {
        const ranAt = this.clock();
        const outcome = await this.call(
          { ...state, checks: Object.fromEntries(checks.map((c) => [c.id, c.result])) },
          unattended(check),
          signal,
        );
        checks.push({ id: check.id, ...this.evidence(check.title, outcome) });
        if (check.restorePoint) restorePoint = checkRestorePoint(outcome.result, ranAt);
      }
      // What no backup holds must answer too: a restore that comes back without its database is no recovery.
      for (const dependency of state.runbook?.dependsOn ?? []) {
        const outcome = await this.call(state, unattended(dependency.probe), signal);
        checks.push({
          id: `depends-on:${dependency.name}`,
          ...this.evidence(`${dependency.name} answers`, outcome),
        });
      }
      const failed = checks.filter((c) => !c.passed).map((c) => c.id);
      await this.record(
        state,
        { type: 'RecordPrerequisites', checks, ...(restorePoint !== undefined ? { restorePoint } : {}) },
        signal,
      );
      safeLog(this.log, failed.length > 0 ? 'warn' : 'info', 'prerequisites checked', {
        incident: state.id,
        passed: failed.length === 0,
        ...(failed.length > 0 ? { failed } : {}),
      });
    });
  }

  /**
   * A drill that restores a cluster's whole state may do so only into a cluster marked isolated:
   * production state in a cluster that shares production's account can reconcile production's load balancers.
   */
  private isolation(state: IncidentState): (Evidence & { id: string })[] {
    if (state.mode !== 'drill' || !state.runbook) return [];
    const clusters = this.options.clusters ?? {};
    return restoreTargets(state.runbook, this.options.drillClusters ?? {}).map((target) => {
      const isolated = clusters[target]?.isolated === true;
      return {
        id: `isolated:${target}`,
        title: `drill cluster ${target} is isolated from production`,
        passed: isolated,
        result: { isolated },
        failures: isolated
          ? []
          : [
              `this drill restores a whole cluster's state into ${target}, which is not marked isolated: true (no production credentials, egress limited); set clusters.${target}.isolated once it is`,
            ],
      };
    });
  }

  private step(state: IncidentState, step: Step, work: Extract<WorkKey, { kind: 'step' }>): Promise<void> {
    const { attempt } = work;
    return this.underLease(state, work, async (signal) => {
      const log = withFields(this.log, { incident: state.id, step: step.id, attempt });
      safeLog(log, 'info', 'step running', { action: step.action });
      const missing = await this.bringFiles(state, signal);
      let outcome = missing
        ? failedOutcome(missing)
        : isManual(step)
          ? manualOutcome(state, step)
          : await this.call(state, step, signal, step.id);
      const evidence: Evidence[] = [];
      if (outcome.passed) {
        const after = {
          ...state,
          steps: {
            ...state.steps,
            [step.id]: { status: 'passed' as const, attempt, evidence: [], result: outcome.result },
          },
        };
        for (const check of step.verify ?? [])
          evidence.push(this.evidence(check.title, await this.call(after, unattended(check), signal)));
      }
      const unsaved = missing ? undefined : await this.keepFiles(state, signal);
      if (unsaved)
        outcome = {
          ...outcome,
          passed: false,
          error: outcome.error ? `${outcome.error}; ${unsaved}` : unsaved,
        };
      const error = outcome.error ?? (outcome.failures.length > 0 ? outcome.failures.join('; ') : undefined);
      const passed = outcome.passed && evidence.every((e) => e.passed);
      // Recorded first: nothing said about the result afterwards may lose it or run the step again.
      await this.record(
        state,
        {
          type: 'RecordStepResult',
          step: step.id,
          attempt,
          passed: outcome.passed,
          result: outcome.result,
          ...(error ? { error } : {}),
          durationMs: outcome.durationMs,
          evidence,
        },
        signal,
      );
      if (signal.aborted) return;
      this.options.onStepFinished?.(step.action, passed);
      safeLog(log, passed ? 'info' : 'warn', passed ? 'step passed' : 'step failed', {
        action: step.action,
        durationMs: outcome.durationMs,
        ...(error ? { error } : {}),
        ...(passed ? {} : { output: lastLines(outcome.result), failedChecks: failedTitles(evidence) }),
      });
    });
  }

  private rollback(
    state: IncidentState,
    step: Step,
    work: Extract<WorkKey, { kind: 'rollback' }>,
  ): Promise<void> {
    const { attempt } = work;
    return this.underLease(state, work, async (signal) => {
      const log = withFields(this.log, { incident: state.id, step: step.id, attempt });
      safeLog(log, 'info', 'rollback running', { action: step.rollback?.action });
      const missing = await this.bringFiles(state, signal);
      let outcome = missing
        ? failedOutcome(missing)
        : step.rollback
          ? await this.call(state, step.rollback, signal)
          : undefined;
      const unsaved = missing ? undefined : await this.keepFiles(state, signal);
      if (outcome && unsaved) outcome = { ...outcome, passed: false, error: unsaved };
      const error = outcome?.error ?? outcome?.failures.join('; ');
      await this.record(
        state,
        {
          type: 'RecordRollback',
          step: step.id,
          passed: outcome?.passed ?? false,
          result: outcome?.result ?? {},
          ...(error ? { error } : {}),
        },
        signal,
      );
      safeLog(
        log,
        outcome?.passed ? 'info' : 'warn',
        outcome?.passed ? 'rollback passed' : 'rollback failed',
        {
          ...(error ? { error } : {}),
        },
      );
    });
  }
}

/** The state with its secret params opened, and their values, for the redactor. */
function openSecrets(
  state: IncidentState,
  sealer: Sealer | undefined,
): { state: IncidentState; secrets: string[] } {
  const sealed = Object.entries(state.params).filter(([, value]) => isSealed(value));
  if (sealed.length === 0) return { state, secrets: [] };
  if (!sealer)
    throw new Error('this incident has secret parameters, but LIFEBOAT_SECRET_KEY is not set here');
  const opened = Object.fromEntries(sealed.map(([name, value]) => [name, sealer.open(String(value))]));
  return { state: { ...state, params: { ...state.params, ...opened } }, secrets: Object.values(opened) };
}

function failedOutcome(error: string): CallOutcome {
  return { completed: false, passed: false, result: {}, error, failures: [], durationMs: 0 };
}

/** A manual step's result is who confirmed it and what they wrote. */
function manualOutcome(state: IncidentState, step: Step): CallOutcome {
  const current = state.steps[step.id];
  return {
    completed: true,
    passed: true,
    result: { confirmedBy: current?.confirmedBy ?? '', note: current?.note ?? '' },
    failures: [],
    durationMs: Date.now() - (current?.startedAt ?? Date.now()),
  };
}

/** A log line can never cost a result: whatever the logger does with odd output, the step goes on. */
function safeLog(log: Log, ...line: Parameters<Log>): void {
  try {
    log(...line);
  } catch {
    // The result is already recorded; a lost log line is the lesser harm.
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The end of a failed step's output (already redacted), where the reason usually is, for its log line. */
function lastLines(result: Readonly<Record<string, unknown>>): string | undefined {
  const text = [result.stderr, result.stdout].find(
    (t): t is string => typeof t === 'string' && t.trim() !== '',
  );
  return text?.trim().split('\n').slice(-5).join('\n').slice(-1000);
}

function failedTitles(evidence: readonly Evidence[]): string[] | undefined {
  const failed = evidence.filter((e) => !e.passed).map((e) => e.title);
  return failed.length > 0 ? failed : undefined;
}

import { createHash } from 'node:crypto';
import type { Actor, Command, LoadedRunbookRef, Rejection } from '../domain/commands.js';
import type { IncidentEvent, IncidentMode } from '../domain/events.js';
import type { IncidentState } from '../domain/incident.js';
import type { DecisionTree } from '../domain/tree.js';
import type { BackupState } from '../domain/backups.js';
import type { DrillRecord } from '../domain/readiness.js';
import type { Runbook } from '../domain/runbook.js';
import type { RefusedRunbook, RunbookLibrary } from '../runbooks/load.js';
import type { BackupStates, DrillRecords, EventLog, SlackOutbox } from './ports/index.js';
import { handle, type HandleResult } from './handle.js';
import type { Sealer } from './seal.js';
import { isSealed } from '../domain/sealed.js';
import { validateParams } from '../domain/params.js';
import { redactTyped } from './redact-command.js';
import { StateCache } from './state-cache.js';

/** The ports the engine reads and writes for its callers; the executor, the reactors and the presenter get their own. */
export type EngineStore = EventLog & DrillRecords & BackupStates & Pick<SlackOutbox, 'outbox'>;

export type EngineOptions = {
  readonly store: EngineStore;
  readonly library: RunbookLibrary;
  readonly clock?: () => number;
  /** Seals secret params; without it, a secret param is refused with what to set. */
  readonly sealer?: Sealer;
};

/**
 * What every adapter (Slack, CLI, scheduler) talks to: commands in, queries out. It hands out
 * neither its store nor its runbook library, so no adapter reaches past it.
 */
export class Engine {
  private readonly cache = new StateCache();
  private readonly store: EngineStore;
  private readonly library: RunbookLibrary;
  private readonly clock: () => number;

  constructor(private readonly options: EngineOptions) {
    this.store = options.store;
    this.library = options.library;
    this.clock = options.clock ?? Date.now;
  }

  async handle(
    incidentId: string,
    actor: Actor,
    command: Command,
    options: { readonly idempotencyKey?: string } = {},
  ): Promise<HandleResult> {
    const { idempotencyKey } = options;
    const redacted = redactTyped(command);
    const typed = redacted.type === 'SetParams' ? await this.sealSecrets(incidentId, redacted) : redacted;
    if ('rejection' in typed) return { ok: false, rejection: typed.rejection, duplicate: false };
    return handle(
      this.store,
      { incidentId, actor, now: this.clock(), command: typed },
      { ...(idempotencyKey ? { idempotencyKey } : {}), cache: this.cache },
    );
  }

  /**
   * A secret param's typed value is checked against its rule, then sealed before the rules, the
   * stream or any post see it; only the executor opens it, for the action that uses it.
   */
  private async sealSecrets(
    incidentId: string,
    command: Extract<Command, { type: 'SetParams' }>,
  ): Promise<Command | { rejection: Rejection }> {
    const specs = (await this.state(incidentId))?.runbook?.params ?? {};
    const params: Record<string, unknown> = { ...command.params };
    for (const [name, spec] of Object.entries(specs)) {
      const given = params[name];
      if (!spec.secret || typeof given !== 'string' || given.trim() === '' || isSealed(given)) continue;
      if ('errors' in validateParams({ [name]: spec }, { [name]: given })) continue; // the rules say why
      if (!this.options.sealer)
        return {
          rejection: {
            code: 'invalid-params',
            message: `${name} is a secret parameter, and Lifeboat has no key to keep it: set LIFEBOAT_SECRET_KEY (openssl rand -base64 32) on every replica.`,
          },
        };
      params[name] = this.options.sealer.seal(given.trim());
    }
    return { ...command, params };
  }

  async state(incidentId: string): Promise<IncidentState | undefined> {
    return (await this.cache.load(this.store, incidentId)).state;
  }

  /** The state as this process last saw it, with no round trip; may be behind the store. */
  lastSeenState(incidentId: string): IncidentState | undefined {
    return this.cache.peek(incidentId);
  }

  async events(incidentId: string): Promise<readonly IncidentEvent[]> {
    return (await this.store.read(incidentId)).events;
  }

  async openIncidentIn(channel: string): Promise<IncidentState | undefined> {
    const id = await this.store.openIncidentIn(channel);
    return id ? this.state(id) : undefined;
  }

  /** Ids of the open incidents. */
  async openIncidents(): Promise<string[]> {
    return [...(await this.store.openIncidents()).keys()];
  }

  /** The message ts of the incident's card in Slack, once the presenter has posted it. */
  async cardOf(incidentId: string): Promise<string | undefined> {
    return (await this.store.outbox(incidentId)).card || undefined;
  }

  drillRecords(): Promise<DrillRecord[]> {
    return this.store.drillRecords();
  }

  /** What the backup watch last found, per source. */
  backupStates(): Promise<BackupState[]> {
    return this.store.backupStates();
  }

  /** The runbooks loaded, in file order. */
  runbooks(): Runbook[] {
    return [...this.library.runbooks.values()].map(({ runbook }) => runbook);
  }

  /** Runbooks not loaded because lint found errors in them, by id. */
  refusedRunbooks(): ReadonlyMap<string, RefusedRunbook> {
    return this.library.refused;
  }

  runbook(id: string): LoadedRunbookRef | undefined {
    const loaded = this.library.runbooks.get(id);
    return loaded ? { runbook: loaded.runbook, hash: loaded.hash } : undefined;
  }

  get tree(): DecisionTree | undefined {
    return this.library.defaultTree?.tree;
  }

  /** Readable and stable for one request: a Slack retry of the same declare gets the same id, so it declares once. */
  newIncidentId(mode: IncidentMode, requestKey: string): string {
    const day = new Date(this.clock()).toISOString().slice(0, 10).replaceAll('-', '');
    const suffix = createHash('sha256').update(requestKey).digest('hex').slice(0, 6);
    return `${mode === 'drill' ? 'DRILL' : 'INC'}-${day}-${suffix}`;
  }

  now(): number {
    return this.clock();
  }
}

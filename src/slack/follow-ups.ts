export type FollowUpOptions = {
  /** Jobs waiting or running, all lanes together; past this `add` refuses. */
  readonly capacity: number;
  /** Jobs running at the same time, all lanes together. */
  readonly concurrency: number;
  readonly onError: (error: unknown) => void;
};

/** A job calls `nextInLane` once its order matters no more (e.g. the engine has decided; only the reply is left). */
type Job = (nextInLane: () => void) => Promise<void>;

/**
 * The work a Slack request sets off after its ack: one lane per incident (channel), whose jobs start
 * one after another in arrival order, a few jobs at a time, bounded. Jobs start from setImmediate,
 * so requests already waiting on the socket are read and acked before more follow-up work runs.
 */
export class FollowUps {
  private readonly lanes = new Map<string, Job[]>();
  /** Lanes with a job waiting and none holding the lane, oldest first. */
  private readonly ready: string[] = [];
  private running = 0;
  private waiting = 0;
  private scheduled = false;
  private readonly drained = new Set<() => void>();

  constructor(private readonly options: FollowUpOptions) {}

  /** False when full: the caller answers "try again" rather than lose the request silently. */
  add(lane: string, job: Job): boolean {
    if (this.waiting + this.running >= this.options.capacity) return false;
    const jobs = this.lanes.get(lane);
    this.waiting++;
    if (jobs) {
      jobs.push(job);
      return true;
    }
    this.lanes.set(lane, [job]);
    this.ready.push(lane);
    this.schedule();
    return true;
  }

  /** Jobs waiting or running. */
  get size(): number {
    return this.waiting + this.running;
  }

  /** Resolves when nothing is waiting or running (for a clean stop). */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.add(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.concurrency) {
      const lane = this.ready.shift();
      if (lane === undefined) break;
      const job = this.lanes.get(lane)?.shift();
      if (!job) {
        this.lanes.delete(lane);
        continue;
      }
      this.waiting--;
      this.running++;
      let released = false;
      const nextInLane = () => {
        if (released) return;
        released = true;
        this.release(lane);
      };
      void job(nextInLane)
        .catch(this.options.onError)
        .finally(() => {
          nextInLane();
          this.finished();
        });
    }
  }

  /** The lane's next job may start; the lane goes to the back, so a busy incident does not starve the others. */
  private release(lane: string): void {
    if (this.lanes.get(lane)?.length) this.ready.push(lane);
    else this.lanes.delete(lane);
    this.schedule();
  }

  private finished(): void {
    this.running--;
    if (this.size === 0) {
      for (const resolve of this.drained) resolve();
      this.drained.clear();
    } else this.schedule();
  }
}

/** What the sweeper sees of a step attempt without claiming it. */
export type LeaseState = 'unclaimed' | 'alive' | 'abandoned';

/** Whether a step attempt may run here: claimed now, still running elsewhere, or claimed by someone whose lease ran out. */
export type ClaimResult = 'claimed' | 'running-elsewhere' | 'abandoned';

/**
 * One run per step attempt across replicas: a claim is forever, the lease beside it says whether
 * its owner is still alive (kept by heartbeats while the step runs).
 */
export interface StepLeases {
  claimStep(
    incidentId: string,
    step: string,
    attempt: number,
    owner: string,
    leaseMs: number,
  ): Promise<ClaimResult>;
  /** Extends the lease; false when it was lost (expired, or never ours). */
  heartbeat(
    incidentId: string,
    step: string,
    attempt: number,
    owner: string,
    leaseMs: number,
  ): Promise<boolean>;
  releaseLease(incidentId: string, step: string, attempt: number, owner: string): Promise<void>;
  leaseState(incidentId: string, step: string, attempt: number): Promise<LeaseState>;
}

/** A short lock across replicas (one presenter per incident, one backup watch at a time). */
export interface Locks {
  /** Takes or extends the lock for `owner`; false when someone else holds it. */
  lock(name: string, owner: string, ms: number): Promise<boolean>;
  unlock(name: string, owner: string): Promise<void>;
}

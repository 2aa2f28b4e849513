/**
 * The files steps leave in an incident's workdir, kept where every replica can reach them: any
 * replica may run the next step, and the one that wrote a snapshot may be gone by then.
 */
export type StepFiles = {
  /** Brings the incident's saved files into `dir` (missing or changed ones only), checked against their sha256. */
  readonly restore: (incidentId: string, dir: string, signal: AbortSignal) => Promise<void>;
  /** Saves the files in `dir` that are new or changed since they were last saved or restored. */
  readonly save: (incidentId: string, dir: string, signal: AbortSignal) => Promise<void>;
  /** Deletes what was saved for a closed incident. */
  readonly discard: (incidentId: string) => Promise<void>;
};

import { baseline, judge, type LeaseSeen, type Verdict } from '../../domain/renewals.js';
import type { ActionContext } from '../../engine/action-port.js';
import { keepTrying, type Attempt } from '../keep-trying.js';

/**
 * Kubelets renew their node Lease every 10s; a new controller-manager or scheduler leader waits out
 * the old Lease (15s, --leader-elect-lease-duration) before it renews every 2s: a minute is ample.
 */
const DEFAULT_WITHIN_MS = 60_000;

export type RenewedSince<Seen extends { readonly leases: readonly LeaseSeen[] }, T> = {
  /** The restart verifier's `after` (ms since the epoch) and `within` (ms) inputs. */
  readonly input: { readonly after?: number | undefined; readonly within?: number | undefined };
  readonly context: ActionContext;
  /** One look at the cluster: the Leases in it, and whatever else the verdict weighs. */
  readonly look: () => Promise<Seen>;
  /** The verdict on one look, given whether each of its Leases renewed since the first look or `after`. */
  readonly verdict: (seen: Seen, renewals: Verdict[]) => Attempt<T>;
};

/**
 * The watch shared by the restart verifiers: look, then look again until the verdict passes (every
 * Lease renewed after the restore, or while watched), `within` runs out or the run is stopped; the
 * first look is the baseline a renewal is measured from. Returns the last look's verdict.
 */
export async function renewedSince<Seen extends { readonly leases: readonly LeaseSeen[] }, T>(
  options: RenewedSince<Seen, T>,
): Promise<Attempt<T>> {
  const { input, context } = options;
  let first: Map<string, string | undefined> | undefined;
  return keepTrying({
    withinMs: Math.min(input.within ?? DEFAULT_WITHIN_MS, context.timeoutMs),
    signal: context.signal,
    progress: context.progress,
    attempt: async () => {
      const seen = await options.look();
      first ??= baseline(seen.leases);
      return options.verdict(seen, judge(first, seen.leases, input.after));
    },
  });
}

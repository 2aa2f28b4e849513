/**
 * Whether a Lease was renewed in the restored cluster. A snapshot carries every Lease as it was
 * when the snapshot was taken, so a Lease merely being there proves nothing; it counts as renewed
 * when its renewTime is later than `after` (the restore's end, when given) or when it changed
 * while Lifeboat watched (clock-free: no trust in the holder's clock against ours).
 */

export type LeaseSeen = {
  readonly name: string;
  readonly holder?: string;
  /** ISO time; absent when the Lease does not exist (yet). */
  readonly renewTime?: string;
};

export type Verdict = LeaseSeen & { readonly renewed: boolean };

export function judge(
  first: ReadonlyMap<string, string | undefined>,
  now: readonly LeaseSeen[],
  after: number | undefined,
): Verdict[] {
  return now.map((lease) => {
    const time = lease.renewTime;
    const later = time !== undefined && after !== undefined && Date.parse(time) > after;
    // A Lease that appeared since the first look was created while watched: its holder is alive.
    const moved = time !== undefined && (!first.has(lease.name) || first.get(lease.name) !== time);
    return { ...lease, renewed: later || moved };
  });
}

/** The first look, by name: what "changed while watched" is measured from. */
export const baseline = (seen: readonly LeaseSeen[]): Map<string, string | undefined> =>
  new Map(seen.map((lease) => [lease.name, lease.renewTime]));

/** A MicroTime from the client (a Date subclass) or a raw string, as ISO; undefined when absent or unreadable. */
export function isoTime(value: unknown): string | undefined {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (!date) return undefined;
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

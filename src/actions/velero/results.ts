import { z } from 'zod';

/** results.Result (pkg/util/results/result.go): messages of Velero, of cluster-scoped items, and by namespace. */
const Messages = z.looseObject({
  velero: z.array(z.string()).nullish(),
  cluster: z.array(z.string()).nullish(),
  namespaces: z.record(z.string(), z.array(z.string())).nullish(),
});
export const RestoreResults = z.looseObject({ errors: Messages.nullish(), warnings: Messages.nullish() });
export type RestoreResults = z.infer<typeof RestoreResults>;
/** RestoreResourceList: "group/version/Kind" → ["ns/name(created|updated|skipped|failed)"] (pkg/restore/request.go). */
export const RestoredList = z.record(z.string(), z.array(z.string()));
export type RestoredList = z.infer<typeof RestoredList>;

export type Message = { readonly scope: string; readonly kind: string; readonly text: string };

/** The kind a Velero message is about (`could not restore, ConfigMap "x" already exists…`), or "other". */
export function kindOf(text: string): string {
  return /\b(?:restore|restoring|backing up),? ([A-Z][A-Za-z]+)[ :"]/.exec(text)?.[1] ?? 'other';
}

/** Every message with where it belongs: `velero`, `cluster`, or the namespace. */
export function messagesOf(messages: z.infer<typeof Messages> | null | undefined): Message[] {
  const of = (scope: string, list: readonly string[] | null | undefined) =>
    (list ?? []).map((text) => ({ scope, kind: kindOf(text), text }));
  return [
    ...of('velero', messages?.velero),
    ...of('cluster', messages?.cluster),
    ...Object.entries(messages?.namespaces ?? {}).flatMap(([ns, list]) => of(ns, list)),
  ];
}

/** "namespace shop · ConfigMap: …" lines, grouped by namespace, then kind. */
export function grouped(label: string, messages: readonly Message[]): string[] {
  if (messages.length === 0) return [];
  const groups = new Map<string, string[]>();
  for (const m of messages) {
    const key = `${m.scope === 'velero' || m.scope === 'cluster' ? m.scope : `namespace ${m.scope}`} · ${m.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), m.text]);
  }
  return [
    `${label} (${messages.length}):`,
    ...[...groups].flatMap(([key, texts]) => [`  ${key}:`, ...texts.map((t) => `    - ${t}`)]),
  ];
}

export const LEDGER_ACTIONS = ['created', 'updated', 'skipped', 'failed'] as const;
type LedgerAction = (typeof LEDGER_ACTIONS)[number];

export type Ledger = {
  readonly restored: number;
  readonly skipped: readonly { item: string; reason: string }[];
  readonly failed: readonly { item: string; reason: string }[];
  readonly restoredByKind: Readonly<Record<string, number>>;
};

/**
 * What the restore did to each item. Velero marks an item "failed" when it got a warning or an
 * error and no other action (pkg/restore/restore.go restoreItem); an "already exists" warning is
 * really a skip with a reason, so it is listed as skipped with that warning.
 */
export function ledgerOf(
  list: RestoredList,
  warnings: readonly Message[],
  errors: readonly Message[],
): Ledger {
  const byName = (messages: readonly Message[]) => {
    const found = new Map<string, string>();
    for (const m of messages) {
      const name = /"([^"]+)"|:([^\s:]+) already exists/.exec(m.text);
      const key = name ? `${m.scope}/${name[1] ?? name[2]}` : undefined;
      if (key && !found.has(key)) found.set(key, m.text);
    }
    return found;
  };
  const warned = byName(warnings);
  const erred = byName(errors);
  const skipped: { item: string; reason: string }[] = [];
  const failed: { item: string; reason: string }[] = [];
  const restoredByKind: Record<string, number> = {};
  let restored = 0;
  for (const [key, entries] of Object.entries(list)) {
    const kind = key.split('/').at(-1) ?? key;
    for (const entry of entries) {
      const match = /^(.*)\((created|updated|skipped|failed)\)$/.exec(entry);
      const name = match?.[1] ?? entry;
      const action = (match?.[2] ?? 'failed') as LedgerAction;
      const item = `${kind} ${name}`;
      if (action === 'created' || action === 'updated') {
        restored += 1;
        restoredByKind[kind] = (restoredByKind[kind] ?? 0) + 1;
      } else if (action === 'skipped') {
        skipped.push({ item, reason: 'already in the cluster, identical to the backup' });
      } else if (erred.has(name)) {
        failed.push({ item, reason: erred.get(name) ?? '' });
      } else if (warned.has(name)) {
        skipped.push({ item, reason: warned.get(name) ?? '' });
      } else {
        failed.push({ item, reason: 'Velero recorded it as failed; see velero restore logs' });
      }
    }
  }
  return { restored, skipped, failed, restoredByKind };
}

export function renderLedger(ledger: Ledger): string[] {
  const kinds = Object.entries(ledger.restoredByKind)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  return [
    `Ledger: ${ledger.restored} restored${kinds ? ` (${kinds})` : ''}, ${ledger.skipped.length} skipped, ${ledger.failed.length} failed`,
    ...ledger.skipped.map((s) => `  skipped ${s.item}: ${s.reason}`),
    ...ledger.failed.map((f) => `  failed ${f.item}: ${f.reason}`),
  ];
}

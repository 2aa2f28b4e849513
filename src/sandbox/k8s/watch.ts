import type { ServerResponse } from 'node:http';
import { statusObject } from './protocol.js';
import {
  matches,
  type ClusterState,
  type KObject,
  type ResourceKey,
  type Query,
  type WatchEvent,
} from './store.js';

/** Cut the next `times` watch connections after `afterEvents` events each, as a flaky network or API server would. */
export type DropPlan = { afterEvents: number; times: number };

export type WatchRequest = {
  readonly state: ClusterState;
  readonly plural: ResourceKey;
  readonly namespace: string | undefined;
  readonly query: Query;
  readonly resourceVersion: string | null;
  readonly drop: DropPlan;
  readonly wrap: (object: KObject) => KObject;
  readonly typeMeta: { readonly apiVersion: string; readonly kind: string };
  /** `allowWatchBookmarks=true`: BOOKMARK events carrying only the current resourceVersion. */
  readonly bookmarks: boolean;
  readonly bookmarkEveryMs: number;
  /** `timeoutSeconds`: the API server ends the watch (cleanly) after that long. */
  readonly timeoutSeconds: number | undefined;
};

type EventType = WatchEvent['type'] | 'BOOKMARK' | 'ERROR';

/**
 * Streams newline-delimited JSON events like the API server (api-conventions.md, "Watch"; the
 * watch cache in apiserver pkg/storage/cacher): without a resourceVersion (or with "0"), synthetic
 * ADDED events for what exists now; with one, every event after it, or a single ERROR event with
 * a 410 Expired Status when it is older than the compacted history; then changes as they happen.
 */
export function serveWatch(watch: WatchRequest, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
  res.flushHeaders();
  let sent = 0;
  // Ended (timeoutSeconds, an ERROR) but not yet closed: nothing more may be written.
  const over = () => res.destroyed || res.writableEnded;
  const write = (type: EventType, object: unknown): void => {
    if (!over()) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const send = (type: WatchEvent['type'], object: KObject): void => {
    if (over()) return;
    write(type, watch.wrap(object));
    sent += 1;
    if (watch.drop.times > 0 && sent >= watch.drop.afterEvents) {
      watch.drop.times -= 1;
      res.destroy();
    }
  };
  const relevant = (event: WatchEvent) =>
    event.plural === watch.plural && matches(event.object, watch.namespace, watch.query);
  const from = Number(watch.resourceVersion ?? 0);
  if (from > 0 && from < watch.state.compactedThrough) {
    const message = `too old resource version: ${from} (${watch.state.compactedThrough})`;
    write('ERROR', statusObject(410, message, {}, 'Expired'));
    return void res.end();
  }
  if (from > 0) {
    for (const event of watch.state.history)
      if (event.rv > from && relevant(event)) send(event.type, event.object);
  } else {
    for (const object of watch.state.list(watch.plural, watch.namespace, watch.query)) send('ADDED', object);
  }
  const bookmark = () =>
    write('BOOKMARK', { ...watch.typeMeta, metadata: { resourceVersion: watch.state.resourceVersion } });
  const timers: NodeJS.Timeout[] = [];
  if (watch.bookmarks) timers.push(setInterval(bookmark, watch.bookmarkEveryMs));
  if (watch.timeoutSeconds !== undefined)
    timers.push(
      setTimeout(() => {
        // The watch cache sends a last bookmark as the watch times out, so the client resumes from there.
        if (watch.bookmarks) bookmark();
        res.end();
      }, watch.timeoutSeconds * 1000),
    );
  const unsubscribe = watch.state.subscribe((event) => {
    if (relevant(event)) send(event.type, event.object);
  });
  res.on('close', () => {
    unsubscribe();
    for (const timer of timers) clearTimeout(timer);
  });
}

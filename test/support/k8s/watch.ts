import type { ServerResponse } from 'node:http';
import {
  matches,
  type ClusterState,
  type KObject,
  type Plural,
  type Query,
  type WatchEvent,
} from './store.js';

/** Cut the next `times` watch connections after `afterEvents` events each, as a flaky network or API server would. */
export type DropPlan = { afterEvents: number; times: number };

export type WatchRequest = {
  readonly state: ClusterState;
  readonly plural: Plural;
  readonly namespace: string | undefined;
  readonly query: Query;
  readonly resourceVersion: string | null;
  readonly drop: DropPlan;
  readonly wrap: (object: KObject) => KObject;
};

/**
 * Streams newline-delimited JSON events like the API server: without a resourceVersion, synthetic
 * ADDED events for what exists now; with one, every event after it; then changes as they happen.
 */
export function serveWatch(watch: WatchRequest, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
  res.flushHeaders();
  let sent = 0;
  const send = (type: WatchEvent['type'], object: KObject): void => {
    if (res.destroyed) return;
    res.write(`${JSON.stringify({ type, object: watch.wrap(object) })}\n`);
    sent += 1;
    if (watch.drop.times > 0 && sent >= watch.drop.afterEvents) {
      watch.drop.times -= 1;
      res.destroy();
    }
  };
  const relevant = (event: WatchEvent) =>
    event.plural === watch.plural && matches(event.object, watch.namespace, watch.query);
  if (watch.resourceVersion) {
    const from = Number(watch.resourceVersion);
    for (const event of watch.state.history)
      if (event.rv > from && relevant(event)) send(event.type, event.object);
  } else {
    for (const object of watch.state.list(watch.plural, watch.namespace, watch.query)) send('ADDED', object);
  }
  const unsubscribe = watch.state.subscribe((event) => {
    if (relevant(event)) send(event.type, event.object);
  });
  res.on('close', unsubscribe);
}

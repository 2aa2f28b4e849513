import type { AckFn, App, Receiver } from '@slack/bolt';
import type { Ack } from './front-door.js';
import type { Delivery } from './front-server.js';

/**
 * Bolt's receiver behind our front server: Bolt gets each request as the front door read and
 * checked it (one read, one parse, one signature check), and the ack its listener gives comes
 * back as the HTTP answer, written as Bolt's own HTTP receiver would write it.
 */
export class DirectReceiver implements Receiver {
  private bolt?: App;

  init(bolt: App): void {
    this.bolt = bolt;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /** Resolves with the listener's ack, or a 500 when the request fails before one. */
  deliver(delivery: Delivery): Promise<Ack> {
    const { bolt } = this;
    if (!bolt) return Promise.reject(new Error('the Slack app has not started'));
    return new Promise((resolve) => {
      const ack: AckFn<unknown> = (response) => {
        resolve(ackOf(response));
        return Promise.resolve();
      };
      // Bolt has already logged a listener's error through its error handler.
      bolt.processEvent({ ...delivery, ack }).catch(() => resolve({ status: 500 }));
    });
  }
}

/** What Bolt's HTTP receiver writes for an ack: nothing, text, or JSON. */
function ackOf(response: unknown): Ack {
  if (response === undefined || response === '') return { status: 200 };
  if (typeof response === 'string') return { status: 200, body: response };
  return { status: 200, contentType: 'application/json', body: JSON.stringify(response) };
}

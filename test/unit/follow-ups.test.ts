import { describe, expect, it } from '@jest/globals';
import { FollowUps } from '../../src/slack/follow-ups.js';
import { RecentClicks } from '../../src/slack/recent-clicks.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A job that records when it starts and finishes only when the test says so. */
function gate(log: string[], name: string) {
  let open: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (open = resolve));
  return {
    job: async (nextInLane: () => void) => {
      log.push(`start ${name}`);
      await done;
      nextInLane();
      log.push(`end ${name}`);
    },
    open: () => open(),
  };
}

describe('work after the ack', () => {
  it("runs one incident's clicks in the order they came, and other incidents' alongside", async () => {
    const log: string[] = [];
    const queue = new FollowUps({ capacity: 10, concurrency: 4, onError: () => undefined });
    const [a1, a2, b1] = [gate(log, 'a1'), gate(log, 'a2'), gate(log, 'b1')];
    queue.add('C-A', a1.job);
    queue.add('C-A', a2.job);
    queue.add('C-B', b1.job);
    await tick();
    expect(log).toEqual(['start a1', 'start b1']);
    b1.open();
    await tick();
    expect(log).toEqual(['start a1', 'start b1', 'end b1']);
    a1.open();
    await tick();
    await tick();
    expect(log).toEqual(['start a1', 'start b1', 'end b1', 'end a1', 'start a2']);
    a2.open();
    await queue.idle();
    expect(log.at(-1)).toBe('end a2');
  });

  it('lets the next click of an incident start once the engine has decided, while the reply is still being sent', async () => {
    const log: string[] = [];
    const queue = new FollowUps({ capacity: 10, concurrency: 4, onError: () => undefined });
    let reply: () => void = () => undefined;
    queue.add('C-A', async (nextInLane) => {
      log.push('decided first');
      nextInLane();
      await new Promise<void>((resolve) => (reply = resolve));
      log.push('replied first');
    });
    queue.add('C-A', () => Promise.resolve(void log.push('decided second')));
    await tick();
    await tick();
    expect(log).toEqual(['decided first', 'decided second']);
    reply();
    await queue.idle();
    expect(log).toEqual(['decided first', 'decided second', 'replied first']);
  });

  it('refuses work past its capacity instead of queueing without bound, and takes it again once there is room', async () => {
    const queue = new FollowUps({ capacity: 2, concurrency: 1, onError: () => undefined });
    const log: string[] = [];
    const first = gate(log, '1');
    expect(queue.add('C-A', first.job)).toBe(true);
    expect(queue.add('C-B', () => Promise.resolve())).toBe(true);
    expect(queue.add('C-C', () => Promise.resolve())).toBe(false);
    first.open();
    await queue.idle();
    expect(queue.add('C-C', () => Promise.resolve())).toBe(true);
    await queue.idle();
  });

  it('reports a failed job and goes on with the next one', async () => {
    const errors: unknown[] = [];
    const queue = new FollowUps({ capacity: 10, concurrency: 1, onError: (e) => errors.push(e) });
    let ran = false;
    queue.add('C-A', () => Promise.reject(new Error('Redis went away')));
    queue.add('C-A', () => Promise.resolve(void (ran = true)));
    await queue.idle();
    expect((errors[0] as Error).message).toBe('Redis went away');
    expect(ran).toBe(true);
  });
});

describe('double clicks', () => {
  it('answers the same click once within the window, again after it, and at once after a failure', () => {
    let now = 0;
    const recent = new RecentClicks(3000, 100, () => now);
    expect(recent.repeat('card:lb.back:UALICE')).toBe(false);
    now = 2999;
    expect(recent.repeat('card:lb.back:UALICE')).toBe(true);
    expect(recent.repeat('card:lb.back:UBOB')).toBe(false);
    now = 3000;
    expect(recent.repeat('card:lb.back:UALICE')).toBe(false);
    recent.forget('card:lb.back:UALICE');
    expect(recent.repeat('card:lb.back:UALICE')).toBe(false);
  });

  it('keeps at most its bound of keys, oldest first out', () => {
    const recent = new RecentClicks(60_000, 2, () => 0);
    recent.repeat('a');
    recent.repeat('b');
    recent.repeat('c');
    expect(recent.repeat('a')).toBe(false);
    expect(recent.repeat('c')).toBe(true);
  });
});

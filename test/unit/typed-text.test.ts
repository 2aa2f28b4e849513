import { describe, expect, it } from '@jest/globals';
import { Engine } from '../../src/engine/engine.js';
import type { RunbookLibrary } from '../../src/runbooks/load.js';
import { MemoryStore } from '../../src/store/memory.js';
import { alice, T0 } from '../support/incident-fixtures.js';

const library: RunbookLibrary = {
  runbooks: new Map(),
  refused: new Map(),
  trees: new Map(),
  findings: [],
  ok: true,
};

describe('what people type', () => {
  it('a token pasted into a summary, a note or an abort reason is redacted before it is stored', async () => {
    const store = new MemoryStore();
    const engine = new Engine({ store, library, clock: () => T0 });
    const token = 'ghp_R8x3kQ2mV9tLp4Wn7Zs1Yb6Hc5Jd0Fg2Ae8K';
    await engine.handle('i', alice, {
      type: 'Declare',
      mode: 'incident',
      summary: `api down, token ${token}`,
      channel: 'C1',
    });
    await engine.handle('i', alice, {
      type: 'AddNote',
      text: `tried curl -u admin:hunter2secret and ${token}`,
    });
    await engine.handle('i', alice, { type: 'Abort', reason: `rotated ${token}` });
    const stored = JSON.stringify((await store.read('i')).events);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain('hunter2secret');
    expect(stored).toContain('api down, token [REDACTED]');
  });
});

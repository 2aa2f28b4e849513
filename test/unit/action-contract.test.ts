import { z } from 'zod';
import { ACTION_NAMES, actionSpec, specOf } from '../../src/actions/catalog.js';
import { actionContract, implement } from '../../src/actions/contract.js';
import { CONTRACTS } from '../../src/actions/contracts.js';
import { drillActions } from '../../src/actions/drill-last-result.js';
import { actionRegistry } from '../../src/actions/index.js';
import { backupHealth } from '../../src/actions/backups/health.js';
import { Within } from '../../src/actions/inputs.js';
import { notifyAction } from '../../src/actions/notify.js';
import { byName, createRegistry } from '../../src/actions/registry.js';

describe('an action contract is the one place its inputs are written', () => {
  it('gives lint and the binder each input, whether it is required, and its doc', () => {
    const contract = actionContract({
      name: 'test.sample',
      summary: 'A sample',
      readOnly: true,
      input: z.strictObject({
        cluster: z.string().min(1).describe('cluster name'),
        within: Within.optional().describe('keep asking up to this long'),
        replicas: z.number().default(1).describe('how many'),
      }),
      result: { ok: 'true when fine' },
    });
    expect(specOf(contract)).toEqual({
      summary: 'A sample',
      readOnly: true,
      inputs: {
        cluster: { required: true, doc: 'cluster name' },
        within: { required: false, doc: 'keep asking up to this long' },
        replicas: { required: false, doc: 'how many' },
      },
      result: { ok: 'true when fine' },
    });
  });

  it('puts contract-written actions in the catalog lint checks runbooks against', () => {
    expect(actionSpec('k8s.version')?.inputs.cluster).toEqual({
      required: true,
      doc: 'cluster name from the config (primary, standby, …)',
    });
  });
});

describe('the registry is built from contracts', () => {
  const production = actionRegistry({
    s3: {},
    kube: () => {
      throw new Error('no cluster in this test');
    },
    // What bot.ts adds: the actions whose adapters (Slack, the store) the registry does not own.
    extra: {
      ...byName([notifyAction(() => Promise.resolve('1.0'))]),
      ...drillActions(() => Promise.resolve([])),
      'backups.health': backupHealth(
        () => production,
        () => [],
      ),
    },
  });

  it('implements every contract in the catalog, and nothing the catalog lacks', () => {
    expect([...production.names].sort()).toEqual(CONTRACTS.map((c) => c.name).sort());
    expect([...ACTION_NAMES].sort()).toEqual([...production.names].sort());
  });

  it('tells the engine each action’s own read-only mark and default timeout', () => {
    expect(production.terms('k8s.version')).toEqual({ readOnly: true, timeout: '1m' });
    expect(production.terms('k8s.scale')).toEqual({ readOnly: false });
    expect(production.terms('shell')).toEqual({ readOnly: false, readOnlyWhenMarked: true });
    expect(production.terms('manual')).toBeUndefined();
  });

  it('refuses two implementations of one contract', () => {
    const sample = actionContract({
      name: 'test.twice',
      summary: 'A sample',
      readOnly: true,
      input: z.strictObject({}),
      result: {},
    });
    const once = implement(sample, () => Promise.resolve({ completed: true, result: {} }));
    expect(() => createRegistry([once, once])).toThrow('action test.twice is implemented twice');
  });

  it('fails a result field the contract does not list, so the binder never misses one', async () => {
    const sample = actionContract({
      name: 'test.fields',
      summary: 'A sample',
      readOnly: true,
      input: z.strictObject({ extra: z.boolean().describe('also return an undeclared field') }),
      result: { ok: 'true when fine' },
    });
    const action = implement(sample, ({ extra }) =>
      Promise.resolve({ completed: true, result: { ok: true, ...(extra ? { surprise: 1 } : {}) } }),
    );
    const registry = createRegistry([action], { strictResults: true });
    const context = {
      incidentId: 'INC-1',
      workdir: '/tmp',
      signal: new AbortController().signal,
      timeoutMs: 1000,
      progress: () => undefined,
      cluster: () => undefined,
    };
    expect(await registry.run('test.fields', { extra: false }, context)).toEqual({
      completed: true,
      result: { ok: true },
    });
    expect(await registry.run('test.fields', { extra: true }, context)).toMatchObject({
      completed: false,
      error: 'test.fields returned result fields its contract does not list: surprise',
    });
  });
});

import { z } from 'zod';
import { actionSpec, specOf } from '../../src/actions/catalog.js';
import { actionContract } from '../../src/actions/contract.js';
import { Within } from '../../src/actions/inputs.js';

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

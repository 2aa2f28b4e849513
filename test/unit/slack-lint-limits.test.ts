import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { loadRunbooks } from '../../src/runbooks/load.js';
import { copyOfShippedRunbooks } from '../support/runbook-folder.js';

let folder: Awaited<ReturnType<typeof copyOfShippedRunbooks>>;
beforeEach(async () => {
  folder = await copyOfShippedRunbooks();
});
afterEach(() => folder.remove());

const FILE = 'backup-health-check.yaml';
const ANCHOR = 'params:\n';

async function errorsWith(params: string): Promise<string[]> {
  await folder.edit(FILE, ANCHOR, `${ANCHOR}${params}`);
  const library = await loadRunbooks(folder.dir);
  return library.findings.filter((f) => f.severity === 'error').map((f) => `${f.message} | ${f.hint ?? ''}`);
}

describe('lint: nothing Slack cannot show is cut silently', () => {
  it('refuses an enum with more than 100 values, which a Slack select cannot offer, and accepts 100', async () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`).join(', ');
    expect(await errorsWith(`  region: { type: enum, prompt: Region, values: [${values(100)}] }\n`)).toEqual(
      [],
    );
    await folder.remove();
    folder = await copyOfShippedRunbooks();
    const errors = await errorsWith(`  region: { type: enum, prompt: Region, values: [${values(101)}] }\n`);
    expect(errors).toEqual([
      expect.stringMatching(/param region: 101 values, .*at most 100 \| .*choicesFrom/),
    ]);
  });

  it('refuses an enum value longer than a Slack option value (150), instead of leaving it out of the form', async () => {
    const errors = await errorsWith(
      `  region: { type: enum, prompt: Region, values: [short, ${'x'.repeat(151)}] }\n`,
    );
    expect(errors).toEqual([expect.stringMatching(/a value of 151 characters.*at most 150/)]);
  });

  it('refuses more params than the parameters form can hold (98 beside the title and the checks line)', async () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => `  p${i}: { type: k8sName, prompt: P${i}, default: x }\n`).join('');
    // The shipped runbook has 5 params and prerequisite checks: 93 more fill the form exactly.
    expect(await errorsWith(many(93))).toEqual([]);
    await folder.remove();
    folder = await copyOfShippedRunbooks();
    expect(await errorsWith(many(94))).toEqual([
      expect.stringMatching(/^99 params, but the parameters form in Slack shows at most 98/),
    ]);
  });

  it('refuses a param name too long to be a Slack block_id (255)', async () => {
    const name = `p${'a'.repeat(255)}`;
    const errors = await errorsWith(`  ${name}: { type: k8sName, prompt: Long, default: x }\n`);
    expect(errors).toEqual([expect.stringMatching(/param name of 256 characters.*255/)]);
  });
});

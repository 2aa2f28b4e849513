import { describe, expect, it } from '@jest/globals';
import { checkExpect } from '../../src/domain/expect.js';
import { validateParams } from '../../src/domain/params.js';
import { matchesPattern, patternError } from '../../src/domain/pattern.js';
import { ParamSpec } from '../../src/domain/runbook.js';

/** A pattern that backtracks catastrophically in JavaScript's engine: 30 characters take minutes there. */
const BACKTRACKING = '^([a-z0-9]+-?)+$';

describe('patterns from runbooks run in linear time', () => {
  it('a hostile 30-character value against a backtracking pattern gets its answer (RE2, not V8)', () => {
    const spec = ParamSpec.parse({ type: 'string', pattern: BACKTRACKING, prompt: 'Release name' });
    expect(validateParams({ release: spec }, { release: `${'a'.repeat(30)}!` })).toEqual({
      errors: [{ param: 'release', why: expect.stringContaining(`must match ${BACKTRACKING}`) }],
    });
    expect(validateParams({ release: spec }, { release: 'payments-api-2' })).toEqual({
      values: { release: 'payments-api-2' },
    });
  });

  it('matches anywhere in the text, as RegExp.test does, for expect matchers too', () => {
    expect(matchesPattern('ready', 'the API is ready now')).toBe(true);
    expect(matchesPattern('^ready$', 'the API is ready now')).toBe(false);
    expect(
      checkExpect({ stdout: { matches: 'readyz check (passed|ok)' } }, { stdout: 'readyz check passed' }),
    ).toEqual([]);
  });

  it('refuses look-around and back-references with a reason, at load time', () => {
    expect(patternError('(?=secret)')).toMatch(/RE2, linear time/);
    expect(patternError('(a)\\1')).toMatch(/back-references/);
    const refused = ParamSpec.safeParse({ type: 'string', pattern: '^(?!prod).*', prompt: 'Namespace' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/not a usable regular expression/);
  });
});

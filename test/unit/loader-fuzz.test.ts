import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { parseRunbookSource } from '../../src/runbooks/parse.js';
import { SHIPPED_RUNBOOKS } from '../support/runbook-folder.js';

/** Every outcome is either a loaded document or findings that point inside the file. */
function expectAnswer(source: string): void {
  const parsed = parseRunbookSource('fuzz.yaml', source);
  expect(parsed.doc !== undefined || parsed.findings.length > 0).toBe(true);
  for (const finding of parsed.findings) {
    expect(finding.line).toBeGreaterThanOrEqual(1);
    expect(finding.message.length).toBeGreaterThan(0);
  }
}

describe('the runbook loader never throws', () => {
  it('on random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), expectAnswer), { numRuns: 500 });
  });

  it('on random YAML-shaped data', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => expectAnswer(stringify(value))),
      { numRuns: 300 },
    );
  });

  it('on YAML punctuation soup', () => {
    const pieces = fc.constantFrom(
      'apiVersion: lifeboat/v1\n',
      'kind: Runbook\n',
      '- ',
      ': ',
      '{',
      '}',
      '[',
      ']',
      '&a ',
      '*a ',
      '!!',
      '"',
      "'",
      '\n  ',
      '#',
      '|\n',
      '>',
      '? ',
      '---\n',
      '{{ x }}',
      'steps:\n',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => expectAnswer(parts.join(''))),
      { numRuns: 500 },
    );
  });

  it('on a shipped runbook with a random key removed or a random value replaced', async () => {
    const original = parse(
      await readFile(path.join(SHIPPED_RUNBOOKS, 'velero-namespace-restore.yaml'), 'utf8'),
    ) as Record<string, unknown>;
    const mutate = (node: unknown, picks: number[], replacement: unknown): unknown => {
      if (picks.length === 0 || node === null || typeof node !== 'object') return replacement;
      const [pick = 0, ...rest] = picks;
      const entries = Object.entries(node);
      if (entries.length === 0) return replacement;
      const index = pick % entries.length;
      const copy: Record<string, unknown> | unknown[] = Array.isArray(node)
        ? [...(node as unknown[])]
        : { ...node };
      const [key, child] = entries[index] as [string, unknown];
      if (rest.length === 0 && replacement === undefined) {
        if (Array.isArray(copy)) copy.splice(index, 1);
        else delete copy[key];
      } else (copy as Record<string, unknown>)[key] = mutate(child, rest, replacement);
      return copy;
    };
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
        (picks, replacement) => {
          expectAnswer(stringify(mutate(original, picks, replacement)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('on a 10 MB file: a clear error, not a crash', () => {
    const parsed = parseRunbookSource(
      'huge.yaml',
      `apiVersion: lifeboat/v1\n# ${'x'.repeat(10 * 1024 * 1024)}\n`,
    );
    expect(parsed.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/runbooks are limited to 1 MiB/),
    ]);
  });

  it('on an alias bomb: refused, not expanded', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    const parsed = parseRunbookSource('bomb.yaml', bomb);
    expect(parsed.doc).toBeUndefined();
    expect(parsed.findings[0]?.message).toMatch(/YAML: .*alias/i);
  });
});

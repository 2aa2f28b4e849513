import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MASK, redactDeep, redactor } from '../../src/engine/redact.js';
import { corpus, leaks } from '../fixtures/secrets/corpus.js';

const redact = redactor({ DB_PASSWORD: 'hunter2-correct-horse' }, { values: ['unseal-4f9a'] });

/** Pieces of real secret-bearing output and the characters that join fields, so the cases look like output. */
const pieces = fc.oneof(
  fc.constantFrom(...corpus.map((sample) => sample.output)),
  fc.constantFrom(...corpus.flatMap((sample) => sample.secrets)),
  fc.constantFrom(
    '-----BEGIN RSA PRIVATE KEY-----',
    '-----END RSA PRIVATE KEY-----',
    'password=',
    '"password": "',
    '\\"token\\":\\"',
    '--password ',
    '-u admin:',
    'postgres://u:',
    '@',
    'Bearer ',
    MASK,
    '\\',
    '"',
    '\n',
    '\\n',
    ' ',
    '=',
    ':',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const outputs = fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join(''));
/** Any string: code points of every plane, lone surrogates, control bytes. */
const anyText = fc.string({ unit: 'binary', maxLength: 2000 });
/** Bytes as a step prints them, decoded the two ways the bot reads output. */
const bytes = fc
  .uint8Array({ maxLength: 2000 })
  .chain((array) =>
    fc.constantFrom(Buffer.from(array).toString('utf8'), Buffer.from(array).toString('latin1')),
  );

describe('redaction never fails and is stable', () => {
  it('returns a string for any text and never throws', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, bytes, outputs), (text) => {
        expect(typeof redact(text)).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });

  it('redacting twice equals redacting once', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, bytes, outputs), (text) => {
        const once = redact(text);
        expect(redact(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps a secret hidden whatever output comes before and after it', () => {
    const samples = fc.constantFrom(...corpus);
    fc.assert(
      fc.property(samples, anyText, anyText, (sample, before, after) => {
        const framed = { ...sample, output: `${before}\n${sample.output}\n${after}` };
        expect(leaks(framed, 'plain')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('walks any value without throwing, cycles included', () => {
    fc.assert(
      fc.property(
        fc.anything({ withMap: true, withSet: true, withBigInt: true, withDate: true }),
        (value) => {
          const cyclic = { value, self: undefined as unknown };
          cyclic.self = cyclic;
          expect(() => redactDeep(cyclic, redact)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });
});

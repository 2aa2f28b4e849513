import { afterEach, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLog } from '../../src/log.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

const TOKEN_VAR = 'LIFEBOAT_LOG_TEST_TOKEN';
afterEach(() => {
  delete process.env[TOKEN_VAR];
});

describe('log lines', () => {
  it('stay valid JSON and keep the failure when a step prints logfmt and escaped quotes, with the secrets gone', async () => {
    process.env[TOKEN_VAR] = 'env-token-5f1d9c2b';
    const { stream, lines } = capture();
    const { log } = createLog({ destination: stream });
    const output =
      'time="2026-12-01T19:03:00Z" level=error msg="restore failed: cannot read secret=cloud-credentials"\n' +
      'using env-token-5f1d9c2b\n';
    const result = JSON.stringify({ user: 'dr', password: 'pa"ss\\word', phase: 'PartiallyFailed' });
    log('error', 'step runner failed: env-token-5f1d9c2b', {
      incident: 'INC-1',
      step: 'restore',
      output,
      result,
      attempt: 1,
    });
    await new Promise((resolve) => setImmediate(resolve));

    const [line] = lines();
    expect(line).toMatchObject({ level: 50, incident: 'INC-1', step: 'restore', attempt: 1 });
    expect(line?.msg).toBe('step runner failed: [REDACTED]');
    expect(line?.output).toBe(
      'time="2026-12-01T19:03:00Z" level=error msg="restore failed: cannot read secret=[REDACTED]"\n' +
        'using [REDACTED]\n',
    );
    expect(JSON.parse(line?.result as string)).toEqual({
      user: 'dr',
      password: '[REDACTED]',
      phase: 'PartiallyFailed',
    });
    const text = JSON.stringify(line);
    for (const secret of ['cloud-credentials', 'pa\\"ss', 'env-token-5f1d9c2b'])
      expect(text).not.toContain(secret);
  });

  it('log a field that refers to itself instead of throwing', async () => {
    const { stream, lines } = capture();
    const { log } = createLog({ destination: stream });
    const fields: Record<string, unknown> = { token: 'token=abcdef123456' };
    fields.self = fields;
    expect(() => log('warn', 'cyclic', fields)).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines()[0]).toMatchObject({ msg: 'cyclic', token: 'token=[REDACTED]', self: '[Circular]' });
  });
});

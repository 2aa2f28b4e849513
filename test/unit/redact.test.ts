import { describe, expect, it } from '@jest/globals';
import { MASK, redactDeep, redactor } from '../../src/engine/redact.js';
import { FORMS, corpus, leaks, nonSecrets, type Form } from '../fixtures/secrets/corpus.js';

const redact = redactor({
  DB_PASSWORD: 'hunter2-correct-horse',
  ETCDCTL_API: '3',
  MY_API_KEY: 'k-123456789',
});

describe('the secret corpus: every secret a DR step prints is hidden in every sink', () => {
  it('has at least 40 realistic samples', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  const cases = corpus.flatMap((sample) =>
    (Object.keys(FORMS) as Form[]).map((form) => ({ name: sample.name, form, sample })),
  );
  it.each(cases)('$name ($form)', ({ sample, form }) => {
    expect(leaks(sample, form)).toEqual([]);
  });
});

describe('what is not a secret stays exactly as printed', () => {
  it.each(nonSecrets.map((sample) => [sample.name, sample.output]))('%s', (_name, output) => {
    expect(redact(output)).toBe(output);
    const escaped = JSON.stringify({ stdout: output });
    expect(redact(escaped)).toBe(escaped);
  });
});

describe('redaction keeps what responders need around a secret', () => {
  it('hides the values of secret-looking variables, and leaves others', () => {
    expect(redact('connecting with hunter2-correct-horse to db, api 3, key k-123456789')).toBe(
      'connecting with [REDACTED] to db, api 3, key [REDACTED]',
    );
  });

  it('hides extra known values (secret params), raw and JSON-escaped', () => {
    const withParam = redactor({}, { values: ['s3cr"et-pin', undefined] });
    expect(withParam('pin s3cr"et-pin and {"echo":"s3cr\\"et-pin"}')).toBe(
      'pin [REDACTED] and {"echo":"[REDACTED]"}',
    );
  });

  it('keeps the name and the quotes, so JSON stays JSON', () => {
    const json = JSON.stringify({ user: 'dr', password: 'a"b\\c', note: 'ok' });
    const out = redact(json);
    expect(JSON.parse(out)).toEqual({ user: 'dr', password: MASK, note: 'ok' });
    const twice = JSON.stringify({ error: json });
    expect(JSON.parse((JSON.parse(redact(twice)) as { error: string }).error)).toEqual({
      user: 'dr',
      password: MASK,
      note: 'ok',
    });
  });

  it('hides a PEM body and keeps its labels and what follows', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1\nabc\n-----END RSA PRIVATE KEY-----';
    expect(redact(`key:\n${pem}\nafter`)).toBe(
      `key:\n-----BEGIN RSA PRIVATE KEY-----${MASK}-----END RSA PRIVATE KEY-----\nafter`,
    );
  });

  it('hides a PEM cut before its END up to the first line that is not key, so the error stays', () => {
    const cut = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7';
    expect(redact(`${cut}\nError from server (Forbidden): secrets is forbidden`)).toBe(
      `-----BEGIN PRIVATE KEY-----${MASK}\nError from server (Forbidden): secrets is forbidden`,
    );
  });

  it('hides the password of a URL and of -u/--user, and keeps the user and host', () => {
    expect(redact('postgres://orders:pa55@pg:5432/orders redis://:pw0rd@cache:6379')).toBe(
      `postgres://orders:${MASK}@pg:5432/orders redis://:${MASK}@cache:6379`,
    );
    expect(redact('curl -u admin:hunter3 https://x && etcdctl --user root:toor get /')).toBe(
      `curl -u admin:${MASK} https://x && etcdctl --user root:${MASK} get /`,
    );
  });

  it('hides AWS access key ids and secret keys', () => {
    expect(redact('id AKIAIOSFODNN7EXAMPLE ok')).toBe('id [REDACTED] ok');
    expect(redact('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(
      'aws_secret_access_key = [REDACTED]',
    );
  });

  it('hides bearer tokens and logfmt values, quoted or not', () => {
    expect(redact('Authorization: Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.payload.sig')).toBe(
      'Authorization: Bearer [REDACTED]',
    );
    expect(
      redact('level=error msg="restore failed: cannot read secret=cloud-credentials" password="a b"'),
    ).toBe('level=error msg="restore failed: cannot read secret=[REDACTED]" password="[REDACTED]"');
  });

  it('works through results of any shape, cycles and deep nesting included', () => {
    expect(
      redactDeep(
        { stdout: 'pw hunter2-correct-horse', nested: [{ token: 'Bearer abcdefghijkl' }], exitCode: 0 },
        redact,
      ),
    ).toEqual({
      stdout: 'pw [REDACTED]',
      nested: [{ token: 'Bearer [REDACTED]' }],
      exitCode: 0,
    });
    const cyclic: Record<string, unknown> = { note: 'token=abcdef123456' };
    cyclic.self = cyclic;
    expect(redactDeep(cyclic, redact)).toEqual({ note: 'token=[REDACTED]', self: '[Circular]' });
    let deep: unknown = 'password=deepsecret';
    for (let level = 0; level < 10_000; level++) deep = { level: deep };
    expect(JSON.stringify(redactDeep(deep, redact))).toContain('[too deep]');
    const error = Object.assign(new Error('denied for hunter2-correct-horse'), { code: 'E1' });
    expect(redactDeep({ error }, redact)).toMatchObject({
      error: { name: 'Error', message: 'denied for [REDACTED]', code: 'E1' },
    });
  });
});

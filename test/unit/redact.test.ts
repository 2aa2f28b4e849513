import { describe, expect, it } from '@jest/globals';
import { redactDeep, redactor } from '../../src/engine/redact.js';

const redact = redactor({
  DB_PASSWORD: 'hunter2-correct-horse',
  ETCDCTL_API: '3',
  MY_API_KEY: 'k-123456789',
});

describe('redaction before anything is stored or posted', () => {
  it('hides the values of secret-looking variables, and leaves others', () => {
    expect(redact('connecting with hunter2-correct-horse to db, api 3, key k-123456789')).toBe(
      'connecting with [REDACTED] to db, api 3, key [REDACTED]',
    );
  });

  it('hides AWS access key ids and secret keys', () => {
    expect(redact('id AKIAIOSFODNN7EXAMPLE ok')).toBe('id [REDACTED] ok');
    expect(redact('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(
      'aws_secret_access_key = [REDACTED]',
    );
  });

  it('hides bearer tokens', () => {
    expect(redact('Authorization: Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.payload.sig')).toBe(
      'Authorization: Bearer [REDACTED]',
    );
  });

  it('hides whole PEM private key blocks', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1\nabc\n-----END RSA PRIVATE KEY-----';
    expect(redact(`key:\n${pem}\nafter`)).toBe(
      'key:\n-----BEGIN PRIVATE KEY----- [REDACTED] -----END PRIVATE KEY-----\nafter',
    );
  });

  it('hides kubeconfig tokens and key data', () => {
    expect(redact('    token: abcdef0123456789abcdef')).toBe('    token: [REDACTED]');
    expect(redact('client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==')).toBe(
      'client-key-data: [REDACTED]',
    );
  });

  it('hides Slack tokens', () => {
    expect(
      redact('SLACK xoxb-123456789012-123456789012-abcdefghijklmnopqrstuvwx and xapp-1-A0123-456-abcdef0123'),
    ).toBe('SLACK [REDACTED] and [REDACTED]');
  });

  it('works through results of any shape', () => {
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
  });
});

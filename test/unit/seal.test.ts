import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { maskSealed } from '../../src/domain/sealed.js';
import { sealer } from '../../src/engine/seal.js';

describe('sealed secret params', () => {
  const { seal, open } = sealer(randomBytes(32).toString('base64'));

  it('opens what it sealed, and a sealed value tells nothing and never repeats', () => {
    const a = seal('hunter2-and-more');
    expect(open(a)).toBe('hunter2-and-more');
    expect(a).not.toContain('hunter2');
    expect(seal('hunter2-and-more')).not.toBe(a);
    expect(maskSealed(`psql --password ${a} -h db`)).toBe('psql --password •••••• -h db');
  });

  it('refuses a sealed value someone changed, and a key of the wrong size', () => {
    const sealed = seal('payments-db-password');
    const flipped = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(() => open(flipped)).toThrow();
    expect(() => sealer(randomBytes(16).toString('base64'))).toThrow(/LIFEBOAT_SECRET_KEY must be 32 bytes/);
  });
});

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { isSealed, SEALED } from '../domain/sealed.js';

/** AES-256-GCM with LIFEBOAT_SECRET_KEY (32 bytes, base64): a secret param's value at rest in Redis. */
export type Sealer = { readonly seal: (value: string) => string; readonly open: (sealed: string) => string };

export function sealer(keyBase64: string): Sealer {
  const key = Buffer.from(keyBase64, 'base64');
  if (key.length !== 32)
    throw new Error('LIFEBOAT_SECRET_KEY must be 32 bytes, base64 (openssl rand -base64 32)');
  return {
    seal(value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${SEALED}${iv.toString('base64url')}:${body.toString('base64url')}`;
    },
    open(sealed) {
      if (!isSealed(sealed)) return sealed;
      const [iv = '', body = ''] = sealed.slice(SEALED.length).split(':');
      const bytes = Buffer.from(body, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(bytes.subarray(-16));
      return Buffer.concat([decipher.update(bytes.subarray(0, -16)), decipher.final()]).toString('utf8');
    },
  };
}

import { z } from 'zod';

/** `Z0123456789ABC` or `/hostedzone/Z0123456789ABC`, as the console and the CLI show it. */
export const HostedZoneId = z
  .string()
  .regex(/^(\/hostedzone\/)?[A-Z0-9]{1,32}$/, {
    message: 'expected a hosted zone id such as Z0123456789ABCDEFGHIJ',
  })
  .transform((id) => id.replace(/^\/hostedzone\//, ''));

/** A DNS name; stored by Route 53 fully qualified and in lower case. */
export const RecordName = z
  .string()
  .max(255)
  .regex(/^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.?$/i, {
    message: 'expected a DNS name such as api.example.com',
  })
  .transform((name) => `${name.toLowerCase().replace(/\.$/, '')}.`);

export const RecordType = z.enum([
  'A',
  'AAAA',
  'CNAME',
  'TXT',
  'MX',
  'SRV',
  'NS',
  'PTR',
  'CAA',
  'SPF',
  'NAPTR',
  'DS',
]);

export const SetIdentifier = z.string().min(1).max(128);

import { z } from 'zod';
import { Duration } from '../../domain/duration.js';
import { actionContract } from '../contract.js';
import { ClusterName } from '../inputs.js';

export const certificateExpiryContract = actionContract({
  name: 'tls.certificate-expiry',
  summary:
    'No certificate an API server (config clusters.NAME.apiServers) or etcd client endpoint serves has expired or expires within a margin',
  readOnly: true,
  timeout: '1m',
  input: z.strictObject({
    cluster: ClusterName.describe('cluster name from the config (primary, standby, …)'),
    margin: Duration.optional().describe('fail when a certificate expires within this long (default 7d)'),
    etcd: z
      .union([z.boolean(), z.enum(['true', 'false'])])
      .optional()
      .describe(
        'also read the certificates of the https etcd endpoints (config clusters.NAME.etcd), default true',
      ),
    allowUnreachable: z
      .union([z.boolean(), z.enum(['true', 'false'])])
      .optional()
      .describe(
        'an endpoint that does not answer (an API server that is down) is listed, not failed; default false',
      ),
  }),
  result: {
    ok: 'true when every endpoint answered TLS and no certificate in its chain ends within the margin',
    endpoints: 'per endpoint: its certificate chain (subject, issuer, notAfter, daysLeft) or the error',
    soonest: 'the earliest notAfter seen (ISO time)',
    unreachable: 'endpoints that did not answer TLS (they fail unless allowUnreachable)',
  },
});

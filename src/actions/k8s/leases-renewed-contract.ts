import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, Within } from '../inputs.js';
import { Instant, NameList } from './times.js';

export const leasesRenewedContract = actionContract({
  name: 'k8s.leases-renewed',
  summary:
    'The leader-election Leases of kube-controller-manager and kube-scheduler (kube-system) are renewed after the restore',
  readOnly: true,
  timeout: '3m',
  input: z.strictObject({
    cluster: Cluster,
    leases: NameList.optional().describe(
      'Lease names in kube-system (default: kube-controller-manager, kube-scheduler)',
    ),
    after: Instant.optional().describe(
      "ISO time (e.g. the restore's end): a renewTime later than this counts as renewed; without it, only a renewal seen while watching counts",
    ),
    within: Within.optional().describe('keep watching up to this long (default 1m)'),
  }),
  result: {
    renewed: 'true when every Lease was renewed',
    leases: 'per Lease: name, holder (holderIdentity), renewTime, renewed',
    stale: 'names of the Leases not renewed',
  },
});

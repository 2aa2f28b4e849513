import { BUCKET, PREFIX } from './s3.js';
import { SANDBOX_CLUSTER } from './config-files.js';
import type { SandboxEtcd } from './etcd.js';
import { BACKUP_WITHOUT_DATA, SCHEDULE } from './cluster.js';
import { PAYMENTS } from './payments.js';

export const INSTALL_ETCD = 'apt-get install etcd-server etcd-client';

/** What to type into the etcd-snapshot-restore drill's parameters in the sandbox. */
export type DrillValues = {
  readonly bucket: string;
  readonly prefix: string;
  readonly sourceCluster: string;
  readonly initialCluster: string;
  readonly healthUrl: string;
};

export function drillValues(etcd: SandboxEtcd | undefined, pageUrl: string): DrillValues {
  return {
    bucket: BUCKET,
    prefix: PREFIX,
    sourceCluster: SANDBOX_CLUSTER,
    initialCluster: `${SANDBOX_CLUSTER}=${etcd?.peerUrl ?? 'http://127.0.0.1:2380'}`,
    healthUrl: `${pageUrl}/healthz`,
  };
}

/** The page's "Try it" notes, in mrkdwn. */
export function tips(command: string, values: DrillValues, etcd: boolean): string[] {
  return [
    `\`${command} declare payments namespace deleted\` walks the decision tree: pick "A namespace or application was deleted" and Velero restores \`${PAYMENTS}\` from its newest backup (the plan is on the approval card). Pick the backup \`${BACKUP_WITHOUT_DATA}\` instead to see the preflight refuse a backup without the volume's data.`,
    `\`${command} drill etcd-snapshot-restore\` restores the sandbox etcd's newest snapshot${etcd ? ' for real' : ''}. Parameters: bucket \`${values.bucket}\`, prefix \`${values.prefix}\`, cluster \`${values.sourceCluster}\`, members \`${values.initialCluster}\`, health URL \`${values.healthUrl}\`.`,
    'A destructive step needs a second person: switch who you are above, then Approve.',
    'Open this page with `?as=bob` in a second window to be two people at once.',
    ...(etcd
      ? []
      : [
          `etcd is not installed, so every step is a dry run that shows what it would run: \`${INSTALL_ETCD}\` for the real thing.`,
        ]),
  ];
}

/** The one block `npm run demo` prints: where to go, what runs, how to stop. */
export function summaryText(facts: {
  readonly url: string;
  readonly botPort: number;
  readonly state: string;
  readonly etcd: SandboxEtcd | undefined;
  readonly s3Endpoint: string;
  readonly cluster: { readonly url: string; readonly newestBackup: string; readonly validates: boolean };
  readonly snapshot: string | undefined;
  readonly runbooks: string;
  readonly command: string;
  readonly values: DrillValues;
  readonly dir: string;
}): string {
  const { etcd, values, command } = facts;
  const lines = [
    '',
    'Lifeboat demo is running.',
    '',
    `  Open      ${facts.url}`,
    '            a Slack-like workspace (#incident, #status); switch between alice, bob and carol',
    '',
    `  bot       the real Lifeboat Slack app (Bolt, HTTP receiver, signatures checked) on port ${facts.botPort}`,
    `  state     ${facts.state}`,
    etcd
      ? `  etcd      sandbox etcd ${etcd.version} at ${etcd.endpoint} (${etcd.keys} keys under /registry), cluster "${SANDBOX_CLUSTER}"`
      : `  etcd      not installed: ${INSTALL_ETCD} to run the etcd restore for real.\n            The decision tree runs, and every step is a dry run that shows what it would run.`,
    `  S3        s3rver at ${facts.s3Endpoint}, bucket ${values.bucket}${facts.snapshot ? `, newest snapshot ${facts.snapshot} (a new one every 15 minutes)` : ', empty (no etcd to snapshot)'}`,
    `  k8s       Kubernetes and Velero emulator at ${facts.cluster.url}: namespace ${PAYMENTS} was just deleted;`,
    `            schedule ${SCHEDULE} holds ${facts.cluster.newestBackup} (3h old) and one from yesterday;`,
    `            ${BACKUP_WITHOUT_DATA} (6h) holds the objects but not the data of ${PAYMENTS}/data`,
    ...(facts.cluster.validates
      ? []
      : [
          "            (Velero's CRDs not found: set LIFEBOAT_REFERENCE_DIR to check Velero objects against them)",
        ]),
    `  runbooks  ${facts.runbooks}`,
    '',
    `  Try       ${command} declare payments namespace deleted     (the decision tree, then the Velero restore)`,
    `            ${command} drill etcd-snapshot-restore            (bucket ${values.bucket}, prefix ${values.prefix},`,
    `              cluster ${values.sourceCluster}, members ${values.initialCluster}, health URL ${values.healthUrl})`,
    '',
    `  Stop      Ctrl-C: stops all of the above and removes ${facts.dir}`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}

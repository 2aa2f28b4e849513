import { z } from 'zod';
import { Duration } from './duration.js';
import { ApproverRef, Id } from './runbook.js';

/** Slack user ids (U…/W…) or user-group handles (@sre-leads). */
const People = z.array(
  ApproverRef.refine((ref) => ref !== 'approvers' && ref !== 'responders', {
    message: 'list people or @groups here',
  }),
);

/** How Lifeboat reaches a cluster's etcd: endpoints and, on kubeadm clusters, client certificates. */
export const EtcdAccess = z.strictObject({
  endpoints: z.array(z.url()).min(1),
  cacert: z.string().min(1).optional(),
  cert: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
});

export const ClusterRef = z.strictObject({
  /** kubeconfig context name (KUBECONFIG, or in-cluster when the context is `in-cluster`). */
  context: z.string().min(1),
  region: z.string().min(1).optional(),
  etcd: EtcdAccess.optional(),
  /** Every API-server endpoint of the cluster (https://host:port): a fence proves each refuses connections. */
  apiServers: z.array(z.url()).min(1).optional(),
  /** A drill cluster with no production credentials and limited egress: only such a cluster may take a drill's etcd or Velero restore. */
  isolated: z.boolean().optional(),
});
export type ClusterRef = z.infer<typeof ClusterRef>;

/** Object storage for etcd snapshots: AWS by default, or any S3-compatible store. */
export const S3Settings = z.strictObject({
  endpoint: z.url().optional(),
  region: z.string().min(1).optional(),
  forcePathStyle: z.boolean().optional(),
  /** Many S3-compatible stores mishandle the SDK's default checksums; WHEN_REQUIRED turns them off. */
  checksums: z.enum(['WHEN_SUPPORTED', 'WHEN_REQUIRED']).optional(),
});
export type S3Settings = z.infer<typeof S3Settings>;

/** Route 53 for traffic shifts: AWS's global endpoint by default; `endpoint` for a test double. */
export const Route53Settings = z.strictObject({
  endpoint: z.url().optional(),
  /** Route 53 is global and signs in us-east-1 unless told otherwise. */
  region: z.string().min(1).default('us-east-1'),
});
export type Route53Settings = z.infer<typeof Route53Settings>;

/** The Prometheus that prometheus.query asks when a step names no url (a decision tree's probe names none). */
export const PrometheusSettings = z.strictObject({ url: z.url({ protocol: /^https?$/ }).optional() });
export type PrometheusSettings = z.infer<typeof PrometheusSettings>;

export const DrillSchedule = z.strictObject({
  runbook: Id,
  cron: z
    .string()
    .regex(/^(\S+\s+){4}\S+$/, { message: 'a cron expression has five fields, e.g. "0 3 1 * *"' }),
  timezone: z.string().optional(),
  /** Destructive steps of this drill run without a person's approval: only for a drill cluster that may be broken at will. */
  preApproved: z.boolean().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}),
});

/** What the backup watch reads, each with the RPO it must stay within. */
export const BackupWatch = z.strictObject({
  interval: Duration.default('5m'),
  etcd: z
    .array(
      z.strictObject({
        name: Id,
        bucket: z.string().min(3),
        prefix: z.string().default(''),
        rpo: Duration,
        /** The bucket in another region that S3 replication must copy these snapshots to; checked by the watch and `lifeboat backup etcd`. */
        replication: z
          .strictObject({ bucket: z.string().min(3), region: z.string().min(1).optional() })
          .optional(),
        /** Report the bucket's versioning, lifecycle and replication too; false for a store without those APIs. */
        checkBucket: z.boolean().default(true),
      }),
    )
    .default([]),
  velero: z.array(z.strictObject({ cluster: Id, schedule: z.string().min(1), rpo: Duration })).default([]),
  storageLocations: z
    .array(
      z.strictObject({
        cluster: Id,
        name: z.string().default('default'),
        maxValidationAge: Duration.default('1h'),
      }),
    )
    .default([]),
});
export type BackupWatch = z.infer<typeof BackupWatch>;

const Fields = z.strictObject({
  access: z
    .strictObject({
      responders: People.optional(),
      approvers: People.optional(),
    })
    .default({}),
  clusters: z.record(Id, ClusterRef).default({}),
  drills: z
    .strictObject({
      /** Short form of `clusters: { primary: NAME }`. */
      cluster: Id.optional(),
      /** Each production cluster name a runbook may touch → the drill cluster that stands in for it. */
      clusters: z.record(Id, Id).default({}),
      /** Where scheduled drills post their card; defaults to channels.alerts. */
      channel: z.string().optional(),
      schedule: z.array(DrillSchedule).default([]),
    })
    .default({ schedule: [], clusters: {} }),
  s3: S3Settings.default({}),
  route53: Route53Settings.default({ region: 'us-east-1' }),
  prometheus: PrometheusSettings.default({}),
  /** Where steps' files (an etcd snapshot, restored data dirs) are kept so that any replica can run the next step; uses the s3 settings. */
  stepFiles: z
    .strictObject({ bucket: z.string().min(3), prefix: z.string().default('lifeboat-step-files/') })
    .optional(),
  /** Outbound requests to URLs from params: loopback, link-local and private addresses need an entry here (CIDRs or host names). */
  egress: z.strictObject({ allow: z.array(z.string().min(1)).default([]) }).default({ allow: [] }),
  backups: BackupWatch.default({ interval: '5m', etcd: [], velero: [], storageLocations: [] }),
  channels: z
    .strictObject({
      alerts: z.string().optional(),
      status: z.string().optional(),
    })
    .default({}),
});

/** The optional LIFEBOAT_CONFIG file. Everything has a default so that no file is a valid setup. */
export const LifeboatConfig = Fields.superRefine(checkDrillClusters);
export type LifeboatConfig = z.infer<typeof LifeboatConfig>;

/** A drill stand-in must be a configured cluster, and never one of the production names it stands in for. */
function checkDrillClusters(config: z.infer<typeof Fields>, ctx: z.RefinementCtx): void {
  const { drills, clusters } = config;
  const production = new Set(Object.keys(drills.clusters));
  if (drills.cluster) production.add('primary');
  const targets: [string[], string][] = [
    ...(drills.cluster ? [[['drills', 'cluster'], drills.cluster] as [string[], string]] : []),
    ...Object.entries(drills.clusters).map(([name, target]): [string[], string] => [
      ['drills', 'clusters', name],
      target,
    ]),
  ];
  for (const [path, target] of targets) {
    if (!Object.hasOwn(clusters, target))
      ctx.addIssue({
        code: 'custom',
        path,
        message: `drill cluster "${target}" is not under clusters: add clusters.${target} (its context) or fix the name`,
      });
    else if (production.has(target))
      ctx.addIssue({
        code: 'custom',
        path,
        message: `"${target}" is a production cluster name here; a drill must run on a cluster of its own`,
      });
  }
}

import {
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';

export type RecordKey = {
  readonly zone: string;
  readonly name: string;
  readonly type: string;
  readonly setIdentifier?: string | undefined;
};

/** `www.example.com.`; Route 53 writes `*` as `\052` and keeps names in lower case. */
const canonical = (name: string): string =>
  `${name.replace(/\\052/g, '*').toLowerCase().replace(/\.$/, '')}.`;

/**
 * The one record set with this name, type and set identifier, or undefined. ListResourceRecordSets
 * starts at (name, type, identifier) in its sort order, so the first page holds it if it exists.
 */
export async function findRecord(
  client: Route53Client,
  key: RecordKey,
  signal: AbortSignal,
): Promise<ResourceRecordSet | undefined> {
  const answer = await client.send(
    new ListResourceRecordSetsCommand({
      HostedZoneId: key.zone,
      StartRecordName: key.name,
      StartRecordType: key.type as ResourceRecordSet['Type'],
      ...(key.setIdentifier === undefined ? {} : { StartRecordIdentifier: key.setIdentifier }),
      MaxItems: 100,
    }),
    { abortSignal: signal },
  );
  return (answer.ResourceRecordSets ?? []).find(
    (r) =>
      canonical(r.Name ?? '') === key.name &&
      r.Type === key.type &&
      (r.SetIdentifier ?? undefined) === key.setIdentifier,
  );
}

/** What a responder needs to know about a record set, as result fields. */
export function describeRecord(record: ResourceRecordSet): Record<string, unknown> {
  return {
    found: true,
    name: record.Name,
    type: record.Type,
    ...(record.SetIdentifier === undefined ? {} : { setIdentifier: record.SetIdentifier }),
    ...(record.Weight === undefined ? {} : { weight: record.Weight }),
    ...(record.Failover === undefined ? {} : { failover: record.Failover }),
    ...(record.TTL === undefined ? {} : { ttl: record.TTL }),
    values: (record.ResourceRecords ?? []).map((r) => r.Value ?? ''),
    ...(record.AliasTarget?.DNSName ? { alias: record.AliasTarget.DNSName } : {}),
    ...(record.HealthCheckId ? { healthCheckId: record.HealthCheckId } : {}),
  };
}

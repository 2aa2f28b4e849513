/**
 * A Route 53 that speaks its REST/XML wire protocol for the three calls a traffic shift makes:
 * ChangeResourceRecordSets (POST /2013-04-01/hostedzone/{Id}/rrset), GetChange
 * (GET /2013-04-01/change/{Id}) and ListResourceRecordSets (GET /2013-04-01/hostedzone/{Id}/rrset).
 * Shapes and errors follow the API reference
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html,
 * API_GetChange.html, API_ListResourceRecordSets.html) and the model the SDK is built from
 * (aws/aws-sdk-js-v3 clients/client-route-53). Error bodies are Route 53's
 * `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>`
 * (as logged in aws/aws-cli#2071), which the SDK's loadRestXmlErrorCode reads by Error.Code.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { child, children, escapeXml, parseXml, textOf, type XmlNode } from './xml.js';

const XMLNS = 'https://route53.amazonaws.com/doc/2013-04-01/';

export type RecordSet = {
  name: string;
  type: string;
  setIdentifier?: string;
  weight?: number;
  failover?: 'PRIMARY' | 'SECONDARY';
  ttl?: number;
  values: string[];
  healthCheckId?: string;
  alias?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
};

type Change = { id: string; submittedAt: string; reads: number };

class Route53Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Route 53 keeps names fully qualified, in lower case (it answers `www.example.com.`). */
export const fqdn = (name: string): string => `${name.toLowerCase().replace(/\.$/, '')}.`;

/** ListResourceRecordSets' order: by name with its labels reversed (com.example.www), then type, then identifier. */
const sortKey = (r: { name: string; type: string; setIdentifier?: string }): string =>
  `${fqdn(r.name).split('.').reverse().join('.')}\u0000${r.type}\u0000${r.setIdentifier ?? ''}`;

const described = (r: RecordSet): string =>
  `[name='${r.name}', type='${r.type}'${r.setIdentifier === undefined ? '' : `, set-identifier='${r.setIdentifier}'`}]`;

function recordFrom(node: XmlNode): RecordSet {
  const name = textOf(node, 'Name');
  const type = textOf(node, 'Type');
  if (!name || !type)
    throw new Route53Error(400, 'InvalidInput', 'Invalid request: ResourceRecordSet needs Name and Type');
  const weight = textOf(node, 'Weight');
  const ttl = textOf(node, 'TTL');
  const failover = textOf(node, 'Failover');
  const setIdentifier = textOf(node, 'SetIdentifier');
  const healthCheckId = textOf(node, 'HealthCheckId');
  const alias = child(node, 'AliasTarget');
  const record: RecordSet = {
    name: fqdn(name),
    type,
    values: children(child(node, 'ResourceRecords'), 'ResourceRecord').map((r) => textOf(r, 'Value') ?? ''),
    ...(setIdentifier === undefined ? {} : { setIdentifier }),
    ...(weight === undefined ? {} : { weight: Number(weight) }),
    ...(ttl === undefined ? {} : { ttl: Number(ttl) }),
    ...(failover === undefined ? {} : { failover: failover as 'PRIMARY' | 'SECONDARY' }),
    ...(healthCheckId === undefined ? {} : { healthCheckId }),
    ...(alias
      ? {
          alias: {
            hostedZoneId: textOf(alias, 'HostedZoneId') ?? '',
            dnsName: fqdn(textOf(alias, 'DNSName') ?? ''),
            evaluateTargetHealth: textOf(alias, 'EvaluateTargetHealth') === 'true',
          },
        }
      : {}),
  };
  return record;
}

/** The checks Route 53 makes on a record set before it accepts a batch (InvalidChangeBatch otherwise). */
function problemsOf(r: RecordSet): string[] {
  const problems: string[] = [];
  const routed = r.weight !== undefined || r.failover !== undefined;
  if (routed && r.setIdentifier === undefined)
    problems.push(
      `Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found none in Change with [Action=UPSERT, Name=${r.name}, Type=${r.type}, SetIdentifier=null]`,
    );
  if (r.setIdentifier !== undefined && !routed)
    problems.push(
      `Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found none in Change with [Action=UPSERT, Name=${r.name}, Type=${r.type}, SetIdentifier=${r.setIdentifier}]`,
    );
  if (r.weight !== undefined && !(Number.isInteger(r.weight) && r.weight >= 0 && r.weight <= 255))
    problems.push(`Invalid weight ${r.weight}: a weight is a whole number from 0 to 255`);
  if (r.failover !== undefined && r.failover !== 'PRIMARY' && r.failover !== 'SECONDARY')
    problems.push(`Invalid failover value ${String(r.failover)}`);
  if (!r.alias && r.ttl === undefined)
    problems.push(`Invalid Resource Record: FATAL problem: TTL is required for ${described(r)}`);
  if (!r.alias && r.values.length === 0)
    problems.push(`Invalid Resource Record: FATAL problem: no ResourceRecords for ${described(r)}`);
  return problems;
}

const same = (a: RecordSet, b: RecordSet): boolean =>
  a.name === b.name && a.type === b.type && (a.setIdentifier ?? '') === (b.setIdentifier ?? '');

function recordXml(r: RecordSet): string {
  const tag = (name: string, value: string | number | undefined): string =>
    value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
  const values = r.values.length
    ? `<ResourceRecords>${r.values.map((v) => `<ResourceRecord>${tag('Value', v)}</ResourceRecord>`).join('')}</ResourceRecords>`
    : '';
  const alias = r.alias
    ? `<AliasTarget>${tag('HostedZoneId', r.alias.hostedZoneId)}${tag('DNSName', r.alias.dnsName)}${tag('EvaluateTargetHealth', String(r.alias.evaluateTargetHealth))}</AliasTarget>`
    : '';
  return `<ResourceRecordSet>${tag('Name', r.name)}${tag('Type', r.type)}${tag('SetIdentifier', r.setIdentifier)}${tag('Weight', r.weight)}${tag('Failover', r.failover)}${tag('TTL', r.ttl)}${values}${alias}${tag('HealthCheckId', r.healthCheckId)}</ResourceRecordSet>`;
}

export type Route53Emulator = {
  readonly endpoint: string;
  /** The record sets of a zone as they are now. */
  records(zoneId: string): readonly RecordSet[];
  /** Every request the emulator answered, e.g. `POST /2013-04-01/hostedzone/Z1/rrset`. */
  readonly requests: string[];
  close(): Promise<void>;
};

export type Route53Options = {
  /** Hosted zone id → its record sets. */
  readonly zones: Readonly<Record<string, readonly RecordSet[]>>;
  /** How many GetChange calls answer PENDING before INSYNC (Route 53 takes up to a minute to propagate). */
  readonly pendingReads?: number;
};

export async function startRoute53(options: Route53Options): Promise<Route53Emulator> {
  const zones = new Map(
    Object.entries(options.zones).map(([id, records]) => [
      id,
      records.map((r) => ({ ...r, name: fqdn(r.name) })),
    ]),
  );
  const changes = new Map<string, Change>();
  const requests: string[] = [];
  const pendingReads = options.pendingReads ?? 1;

  const zone = (id: string): RecordSet[] => {
    const found = zones.get(id);
    if (!found) throw new Route53Error(404, 'NoSuchHostedZone', `No hosted zone found with ID: ${id}`);
    return found;
  };

  const changeInfo = (c: Change): string =>
    `<ChangeInfo><Id>/change/${c.id}</Id><Status>${c.reads >= pendingReads ? 'INSYNC' : 'PENDING'}</Status><SubmittedAt>${c.submittedAt}</SubmittedAt></ChangeInfo>`;

  function changeRecordSets(zoneId: string, body: string): string {
    const records = zone(zoneId);
    let root: XmlNode;
    try {
      root = parseXml(body);
    } catch {
      throw new Route53Error(400, 'InvalidInput', 'Invalid XML ; the request body is not well-formed');
    }
    if (root.name !== 'ChangeResourceRecordSetsRequest')
      throw new Route53Error(
        400,
        'MalformedInput',
        'ChangeBatch is not valid, expected ChangeResourceRecordSetsRequest',
      );
    const list = children(child(child(root, 'ChangeBatch'), 'Changes'), 'Change');
    if (list.length === 0)
      throw new Route53Error(
        400,
        'InvalidInput',
        "Invalid XML ; The content of element 'Changes' is not complete.",
      );
    // A batch is all or nothing: changes apply to a copy, kept only if every one is valid.
    const working = records.map((r) => ({ ...r }));
    const problems: string[] = [];
    for (const change of list) {
      const action = textOf(change, 'Action');
      const set = child(change, 'ResourceRecordSet');
      if (!set || !action || !['CREATE', 'DELETE', 'UPSERT'].includes(action))
        throw new Route53Error(
          400,
          'InvalidInput',
          'Invalid request: each Change needs an Action (CREATE, DELETE, UPSERT) and a ResourceRecordSet',
        );
      const record = recordFrom(set);
      const at = working.findIndex((r) => same(r, record));
      if (action === 'DELETE') {
        if (at < 0)
          problems.push(`Tried to delete resource record set ${described(record)} but it was not found`);
        else working.splice(at, 1);
        continue;
      }
      if (action === 'CREATE' && at >= 0) {
        problems.push(`Tried to create resource record set ${described(record)} but it already exists`);
        continue;
      }
      const wrong = problemsOf(record);
      if (wrong.length) {
        problems.push(...wrong);
        continue;
      }
      if (at >= 0) working[at] = record;
      else working.push(record);
    }
    if (problems.length) throw new Route53Error(400, 'InvalidChangeBatch', `[${problems.join(', ')}]`);
    zones.set(zoneId, working);
    const id = `C${randomBytes(9).toString('hex').toUpperCase().slice(0, 13)}`;
    const c = { id, submittedAt: new Date().toISOString(), reads: 0 };
    changes.set(id, c);
    return `<ChangeResourceRecordSetsResponse xmlns="${XMLNS}">${changeInfo(c)}</ChangeResourceRecordSetsResponse>`;
  }

  function getChange(id: string): string {
    const c = changes.get(id);
    if (!c)
      throw new Route53Error(
        404,
        'NoSuchChange',
        `A change with the specified change ID does not exist: ${id}`,
      );
    const body = `<GetChangeResponse xmlns="${XMLNS}">${changeInfo(c)}</GetChangeResponse>`;
    c.reads += 1;
    return body;
  }

  function listRecordSets(zoneId: string, query: URLSearchParams): string {
    const records = [...zone(zoneId)].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    const name = query.get('name');
    const type = query.get('type');
    const identifier = query.get('identifier');
    if (type && !name)
      throw new Route53Error(400, 'InvalidInput', 'The input is not valid: type requires name');
    if (identifier && !type)
      throw new Route53Error(400, 'InvalidInput', 'The input is not valid: identifier requires type');
    const maxItems = Math.min(Number(query.get('maxitems') ?? 300) || 300, 300);
    const start = name
      ? sortKey({ name, type: type ?? '', ...(identifier ? { setIdentifier: identifier } : {}) })
      : '';
    const from = records.filter((r) => sortKey(r) >= start);
    const page = from.slice(0, maxItems);
    const next = from[maxItems];
    const more = next
      ? `<IsTruncated>true</IsTruncated><NextRecordName>${escapeXml(next.name)}</NextRecordName><NextRecordType>${next.type}</NextRecordType>${next.setIdentifier === undefined ? '' : `<NextRecordIdentifier>${escapeXml(next.setIdentifier)}</NextRecordIdentifier>`}`
      : '<IsTruncated>false</IsTruncated>';
    return `<ListResourceRecordSetsResponse xmlns="${XMLNS}"><ResourceRecordSets>${page.map(recordXml).join('')}</ResourceRecordSets>${more}<MaxItems>${maxItems}</MaxItems></ListResourceRecordSetsResponse>`;
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://route53');
      requests.push(`${request.method} ${url.pathname}`);
      const send = (status: number, xml: string): void => {
        response.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
        response.end(`<?xml version="1.0"?>\n${xml}`);
      };
      try {
        // Every call is signed (SigV4); an unsigned one is refused before anything is read.
        if (!(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 '))
          throw new Route53Error(403, 'MissingAuthenticationToken', 'Missing Authentication Token');
        const rrset = /^\/2013-04-01\/hostedzone\/([A-Z0-9]+)\/rrset\/?$/.exec(url.pathname);
        const change = /^\/2013-04-01\/change\/([A-Z0-9]+)$/.exec(url.pathname);
        if (rrset && request.method === 'POST')
          return send(200, changeRecordSets(rrset[1]!, Buffer.concat(chunks).toString('utf8')));
        if (rrset && request.method === 'GET') return send(200, listRecordSets(rrset[1]!, url.searchParams));
        if (change && request.method === 'GET') return send(200, getChange(change[1]!));
        throw new Route53Error(
          404,
          'UnknownOperationException',
          `no operation ${request.method} ${url.pathname}`,
        );
      } catch (error) {
        const e =
          error instanceof Route53Error ? error : new Route53Error(500, 'InternalFailure', String(error));
        send(
          e.status,
          `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    records: (id) => zones.get(id) ?? [],
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

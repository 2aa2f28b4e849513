import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * Velero's real CustomResourceDefinitions (../shared/reference/velero/, unchanged from Velero's
 * config/crd/v1/bases/) and a structural validator over their openAPIV3Schema: what the API server
 * checks for a CRD object (types, enums, required, nullable) and the unknown fields it prunes
 * (k8s.io/apiextensions-apiserver pkg/apiserver/schema/pruning). Messages follow field.ErrorList.
 */

type Schema = {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  maxLength?: number;
  minimum?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
};

function candidates(): string[] {
  return [
    process.env.LIFEBOAT_REFERENCE_DIR,
    path.resolve(process.cwd(), '../shared/reference'),
    path.resolve(process.cwd(), '../../shared/reference'),
    '/work/shared/reference',
  ].filter((dir): dir is string => typeof dir === 'string');
}

/** Whether Velero's CRDs can be read here (the demo runs without them where they are not). */
export function crdsFound(): boolean {
  return candidates().some((dir) => existsSync(path.join(dir, 'velero')));
}

function referenceDir(): string {
  const found = candidates().find((dir) => existsSync(path.join(dir, 'velero')));
  if (!found) throw new Error(`Velero CRDs not found in ${candidates().join(', ')}`);
  return path.join(found, 'velero');
}

export const VELERO_KINDS = [
  'backups',
  'restores',
  'schedules',
  'backupstoragelocations',
  'volumesnapshotlocations',
  'downloadrequests',
] as const;
export type VeleroPlural = (typeof VELERO_KINDS)[number];

const schemas = new Map<string, { kind: string; schema: Schema }>();

/** The openAPIV3Schema of velero.io_PLURAL.yaml, read once. */
export function crdSchema(plural: VeleroPlural): { kind: string; schema: Schema } {
  const cached = schemas.get(plural);
  if (cached) return cached;
  const crd = parse(readFileSync(path.join(referenceDir(), `velero.io_${plural}.yaml`), 'utf8')) as {
    spec: { names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
  };
  const version = crd.spec.versions.find((v) => v.name === 'v1');
  if (!version) throw new Error(`no v1 in velero.io_${plural}.yaml`);
  const entry = { kind: crd.spec.names.kind, schema: version.schema.openAPIV3Schema };
  schemas.set(plural, entry);
  return entry;
}

const shown = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

const typeOf = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : typeof value === 'number' && Number.isInteger(value)
        ? 'integer'
        : typeof value;

function typeFits(type: Schema['type'], value: unknown, schema: Schema): boolean {
  if (schema['x-kubernetes-int-or-string'])
    return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
  const actual = typeOf(value);
  if (type === 'number') return actual === 'integer' || actual === 'number';
  return type === undefined || actual === type;
}

/** Walks one value; returns it pruned of unknown fields, pushing each violation as `field: message`. */
function walk(schema: Schema, value: unknown, field: string, errors: string[]): unknown {
  if (value === null) {
    if (!schema.nullable && schema.type !== undefined)
      errors.push(`${field}: Invalid value: "null": ${field} in body must be of type ${schema.type}: "null"`);
    return value;
  }
  if (!typeFits(schema.type, value, schema)) {
    errors.push(
      `${field}: Invalid value: "${typeOf(value)}": ${field} in body must be of type ${schema.type}: "${typeOf(value)}"`,
    );
    return value;
  }
  if (schema.enum && !schema.enum.includes(value))
    errors.push(
      `${field}: Unsupported value: ${shown(value)}: supported values: ${schema.enum.map(shown).join(', ')}`,
    );
  if (typeof value === 'string' && schema.maxLength !== undefined && value.length > schema.maxLength)
    errors.push(`${field}: Too long: may not be more than ${schema.maxLength} bytes`);
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum)
    errors.push(
      `${field}: Invalid value: ${value}: ${field} in body should be greater than or equal to ${schema.minimum}`,
    );
  if (Array.isArray(value))
    return schema.items ? value.map((item, i) => walk(schema.items!, item, `${field}[${i}]`, errors)) : value;
  if (typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  for (const key of schema.required ?? [])
    if (!(key in object)) errors.push(`${field ? `${field}.` : ''}${key}: Required value`);
  if (schema['x-kubernetes-preserve-unknown-fields']) return object;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(object)) {
    const at = field ? `${field}.${key}` : key;
    const known = schema.properties?.[key];
    if (known) out[key] = walk(known, child, at, errors);
    else if (typeof schema.additionalProperties === 'object')
      out[key] = walk(schema.additionalProperties, child, at, errors);
    else if (schema.additionalProperties === true || (!schema.properties && schema.type === 'object'))
      out[key] = child;
    // Otherwise an unknown field: the API server prunes it silently.
  }
  return out;
}

/** RFC 1123 subdomain: k8s.io/apimachinery pkg/util/validation IsDNS1123Subdomain. */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function metadataErrors(metadata: Record<string, unknown> | undefined): string[] {
  const errors: string[] = [];
  const name = metadata?.name;
  if (typeof name !== 'string' || name === '')
    return ['metadata.name: Required value: name or generateName is required'];
  if (name.length > 253) errors.push('metadata.name: Invalid value: must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(name))
    errors.push(
      `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
  const labels = (metadata?.labels ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(labels)) {
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value))
      errors.push(
        `metadata.labels: Invalid value: ${shown(value)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (key ${key}, at most 63 characters)`,
      );
  }
  return errors;
}

export type Admission = { readonly object: Record<string, unknown>; readonly errors: string[] };

/** Validates and prunes a Velero object as the API server does before storing it. */
export function admit(plural: VeleroPlural, object: Record<string, unknown>): Admission {
  const { schema } = crdSchema(plural);
  const errors = metadataErrors(object.metadata as Record<string, unknown> | undefined);
  const { apiVersion, kind, metadata, ...rest } = object;
  const pruned = walk(schema, rest, '', errors) as Record<string, unknown>;
  return {
    object: { ...(apiVersion ? { apiVersion } : {}), ...(kind ? { kind } : {}), metadata, ...pruned },
    errors,
  };
}

/** The 422 body: `Restore.velero.io "x" is invalid: [a, b]`, as apimachinery's NewInvalid writes it. */
export function invalidStatus(plural: VeleroPlural, name: string, errors: string[]) {
  const { kind } = crdSchema(plural);
  const list = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${kind}.velero.io "${name}" is invalid: ${list}`,
    reason: 'Invalid',
    details: {
      name,
      group: 'velero.io',
      kind,
      causes: errors.map((error) => {
        const [field = '', ...message] = error.split(': ');
        return { reason: 'FieldValueInvalid', message: message.join(': '), field };
      }),
    },
    code: 422,
  };
}

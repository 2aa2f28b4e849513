import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { DecisionTree } from '../domain/tree.js';
import { Runbook } from '../domain/runbook.js';
import { errorMessage } from '../errors.js';
import { closest, type Finding, type PathFinding, type YamlPath } from './finding.js';

export const MAX_FILE_BYTES = 1024 * 1024;

export type ParsedDoc =
  | { readonly kind: 'Runbook'; readonly file: string; readonly value: Runbook; readonly source: string }
  | {
      readonly kind: 'DecisionTree';
      readonly file: string;
      readonly value: DecisionTree;
      readonly source: string;
    };

export type ParsedFile = {
  readonly file: string;
  readonly doc?: ParsedDoc;
  /** The id a file declares even when the rest fails the schema, so other files' references to it still resolve. */
  readonly declaredId?: string;
  readonly findings: Finding[];
  /** Line and column of a path in this file (the nearest existing parent when the path is missing). */
  readonly locate: (finding: PathFinding) => Finding;
};

const KINDS = { Runbook, DecisionTree } as const;

function nodeAt(doc: Document, path: YamlPath, atKey: boolean): { offset: number } {
  let node: unknown = doc.contents;
  let offset = doc.contents?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      const keyOffset = (pair.key as Node).range?.[0];
      const valueOffset = (pair.value as Node | null)?.range?.[0];
      offset =
        (atKey && segment === path[path.length - 1] ? keyOffset : (valueOffset ?? keyOffset)) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return { offset };
}

/** A file that cannot be parsed at all: one finding at its first line. */
export function refused(file: string, message: string, hint: string): ParsedFile {
  const finding: Finding = { file, line: 1, col: 1, severity: 'error', message, hint };
  return {
    file,
    findings: [finding],
    locate: (f) => ({
      ...finding,
      severity: f.severity,
      message: f.message,
      ...(f.hint ? { hint: f.hint } : {}),
    }),
  };
}

export function tooLarge(file: string, bytes: number): ParsedFile {
  return refused(
    file,
    `file is ${(bytes / 1048576).toFixed(1)} MiB; runbooks are limited to 1 MiB`,
    'split it, or check that this is really a runbook',
  );
}

/** Parses one file's text: YAML syntax, then the schema of its `kind`. Never throws. */
export function parseRunbookSource(file: string, source: string): ParsedFile {
  const lineCounter = new LineCounter();
  const findings: Finding[] = [];
  const at = (offset: number, severity: Finding['severity'], message: string, hint?: string): Finding => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col, severity, message, ...(hint ? { hint } : {}) };
  };
  const fail = (message: string, hint: string): ParsedFile => refused(file, message, hint);

  if (source.length > MAX_FILE_BYTES) return tooLarge(file, source.length);
  if (source.includes('\u0000'))
    return fail('this is a binary file, not YAML', 'keep only runbook YAML files in the runbook folder');
  if (source.trim() === '')
    return fail('file is empty', 'a runbook starts with "apiVersion: lifeboat/v1" and "kind: Runbook"');

  const docs = parseAllDocuments(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (!Array.isArray(docs))
    return fail('file holds no YAML document', 'a runbook starts with "apiVersion: lifeboat/v1"');
  const [doc, ...extra] = docs;
  if (!doc) return fail('file holds no YAML document', 'a runbook starts with "apiVersion: lifeboat/v1"');
  const locate = (f: PathFinding): Finding =>
    at(nodeAt(doc, f.path, f.atKey ?? false).offset, f.severity, f.message, f.hint);

  for (const error of doc.errors)
    findings.push(
      at(
        error.pos[0],
        'error',
        `YAML: ${error.message.split('\n')[0]}`,
        'fix the YAML syntax at this line (indentation, quotes, a missing ":")',
      ),
    );
  if (extra.length > 0)
    findings.push(
      at(
        extra[0]?.range[0] ?? 0,
        'error',
        'more than one YAML document in this file',
        'put each runbook in its own file',
      ),
    );
  if (findings.length > 0) return { file, findings, locate };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return fail(`YAML: ${errorMessage(error)}`, 'remove the alias or anchor that expands too far');
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      file,
      findings: [
        at(
          0,
          'error',
          'expected a mapping with apiVersion, kind and id',
          'start the file with "apiVersion: lifeboat/v1"',
        ),
      ],
      locate,
    };
  }
  const kind = (data as { kind?: unknown }).kind;
  if (kind !== 'Runbook' && kind !== 'DecisionTree') {
    const hint =
      typeof kind === 'string' && closest(kind, Object.keys(KINDS))
        ? `did you mean kind: ${closest(kind, Object.keys(KINDS))}?`
        : 'write kind: Runbook or kind: DecisionTree';
    return {
      file,
      findings: [
        locate({
          file,
          path: ['kind'],
          severity: 'error',
          message: `unknown kind ${JSON.stringify(kind ?? null)}`,
          hint,
        }),
      ],
      locate,
    };
  }
  const result = KINDS[kind].safeParse(data);
  if (!result.success) {
    const id = (data as { id?: unknown }).id;
    const findings = result.error.issues.flatMap((issue) =>
      issueFindings(file, KINDS[kind], issue, data, locate),
    );
    return {
      file,
      findings,
      locate,
      ...(kind === 'Runbook' && typeof id === 'string' ? { declaredId: id } : {}),
    };
  }
  const parsed = { kind, file, source, value: result.data } as ParsedDoc;
  return { file, doc: parsed, findings, locate };
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    data,
  );
}

function issueFindings(
  file: string,
  schema: z.core.$ZodType,
  issue: z.core.$ZodIssue,
  data: unknown,
  locate: ParsedFile['locate'],
): Finding[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const known = keysAt(schema, path);
    return issue.keys.map((key) => {
      const suggestion = closest(key, known);
      return locate({
        file,
        path: [...path, key],
        atKey: true,
        severity: 'error',
        message: `unknown key "${key}"`,
        hint: suggestion
          ? `did you mean "${suggestion}"?`
          : 'remove it: unknown keys are errors so that a typo cannot silently disable a gate',
      });
    });
  }
  const where = path.length > 0 ? path.join('.') : 'document';
  const missing = issue.code === 'invalid_type' && valueAt(data, path) === undefined;
  const message = missing ? `${where}: required key is missing` : `${where}: ${issue.message}`;
  return [locate({ file, path, severity: 'error', message, hint: hintFor(issue, missing) })];
}

/** The keys the schema allows at a path, for "did you mean" on an unknown key. */
function keysAt(schema: z.core.$ZodType, path: readonly (string | number)[]): string[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const inner = (key: string): z.core.$ZodType => def[key] as z.core.$ZodType;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
      return keysAt(inner('innerType'), path);
    case 'pipe':
      return keysAt(inner('in'), path);
    case 'union':
      return (def.options as z.core.$ZodType[]).flatMap((option) => keysAt(option, path));
    case 'array':
      return path.length === 0 ? [] : keysAt(inner('element'), path.slice(1));
    case 'record':
      return path.length === 0 ? [] : keysAt(inner('valueType'), path.slice(1));
    case 'object': {
      const shape = def.shape as Record<string, z.core.$ZodType>;
      if (path.length === 0) return Object.keys(shape);
      const child = shape[String(path[0])];
      return child ? keysAt(child, path.slice(1)) : [];
    }
    default:
      return [];
  }
}

function hintFor(issue: z.core.$ZodIssue, missing: boolean): string {
  const key = issue.path[issue.path.length - 1];
  if (missing) return `add "${String(key)}:" here (see "Writing a runbook" in the README)`;
  switch (issue.code) {
    case 'invalid_value':
      return `write one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      return `write a ${issue.expected} here`;
    case 'too_small':
    case 'too_big':
      return 'change the length or value to fit the limit';
    case 'invalid_format':
      return 'change the value to match the expected format';
    case 'invalid_union':
      return 'check the keys of this entry against the schema (lifeboat schema)';
    default:
      return 'see "Writing a runbook" in the README, or lifeboat schema';
  }
}

import type { Params, SlackResult } from './model.js';
import type { Workspace } from './workspace.js';

/** One Web API method: parsed parameters in, Slack's JSON answer out. */
export type Method = (workspace: Workspace, params: Params) => SlackResult;

/** A string parameter; form bodies carry numbers as strings, JSON bodies may not. */
export function str(params: Params, key: string): string | undefined {
  const value = params[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function flag(params: Params, key: string): boolean {
  const value = params[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Fields @slack/web-api sends as JSON strings inside a form body. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata', 'file_uploads', 'users']);

/** A form body's fields, with JSON-valued ones parsed; unparsable JSON stays a string so the method can refuse it. */
export function formParams(body: string): Params {
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (key in params) continue;
    params[key] = JSON_FIELDS.has(key) && /^\s*[[{]/.test(value) ? parseOr(value) : value;
  }
  return params;
}

function parseOr(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Parameters from a form or JSON body, or why the body is unreadable. */
export function parseParams(contentType: string | undefined, body: string): Params | 'invalid_json' {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return formParams(body);
  if (body.trim() === '') return {};
  const parsed = parseOr(body);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Params)
    : 'invalid_json';
}

import { stringify } from 'yaml';
import type { Expect } from '../domain/expect.js';
import type { ActionCall } from '../domain/runbook.js';

/** Markdown building blocks of the binder, and how one action call is written out. */

const SAFE_ARG = /^[A-Za-z0-9_@%+=:,./-]+$/;
const OPS: Readonly<Record<string, string>> = { eq: '=', ne: '≠', lt: '<', gt: '>' };

/** One argv item as a shell must see it: single quotes keep `{{ … }}`, `$` and spaces literal. */
export function shellQuote(arg: string): string {
  return SAFE_ARG.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** A `|` would end the table cell and a newline the row. */
export function cell(value: string): string {
  return value.replaceAll('|', '\\|').replace(/\r?\n/g, '<br>');
}

export const code = (value: string): string => `\`${value}\``;
const entries = (value: unknown): [string, unknown][] =>
  value && typeof value === 'object' ? Object.entries(value) : [];
export const table = (head: string, rows: readonly string[]): string =>
  [head, head.replace(/[^|]+/g, '---'), ...rows].join('\n');

/** A fence longer than any backtick run inside, so the block cannot end early. */
function fence(lang: string, body: string): string {
  const ticks = '`'.repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${ticks}${lang}\n${body}\n${ticks}`;
}

function shellLines({ command, env, cwd }: Readonly<Record<string, unknown>>): string {
  const vars = entries(env).map(([name, value]) => `${name}=${shellQuote(String(value))}`);
  const argv = Array.isArray(command) ? command.map((arg) => shellQuote(String(arg))) : [];
  const line = [...vars, ...argv].join(' ');
  return typeof cwd === 'string' ? `cd ${shellQuote(cwd)}\n${line}` : line;
}

function expectText(expect: Expect | undefined): string[] {
  const conditions = entries(expect).flatMap(([field, matcher]) =>
    matcher === null || typeof matcher !== 'object'
      ? [`${field} = ${JSON.stringify(matcher)}`]
      : entries(matcher).map(([op, value]) => `${field} ${OPS[op] ?? op} ${JSON.stringify(value)}`),
  );
  return conditions.length > 0 ? [`**Expect:** ${conditions.map(code).join(' and ')}`] : [];
}

/** Shell prints as a command line to paste; every other action as the YAML the bot would run. */
export function callBlocks(
  call: ActionCall & { readonly expect?: Expect; readonly readOnly?: boolean },
): string[] {
  const yaml = (): string => stringify({ action: call.action, with: call.with }, { lineWidth: 0 }).trimEnd();
  const body = call.action === 'shell' ? fence('sh', shellLines(call.with ?? {})) : fence('yaml', yaml());
  // Such a command runs with nobody pressing a button, on its author's word that it only reads.
  const vouched =
    call.action === 'shell' && call.readOnly
      ? ['_Read-only, as the runbook says: it runs without approval._']
      : [];
  return [body, ...vouched, ...expectText(call.expect)];
}

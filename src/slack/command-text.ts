/** `/dr <verb> <rest>`: the verbs, their usage, and parsing. Pure, so every message can be tested. */
import { entities, inlineCode } from './blocks/text.js';

/**
 * A slash command's text as the person typed it. Slack sends `&`, `<` and `>` as `&amp;`, `&lt;` and
 * `&gt;` in all text, slash commands included ("All text in Slack uses the same system of escaping",
 * https://api.slack.com/reference/surfaces/formatting#escaping); with `should_escape: false` (our
 * manifest) mentions and channels arrive as typed, `@alice` and `#incident`, not as `<@U…>`
 * (https://api.slack.com/interactivity/slash-commands#creating_commands, "Escape channels, users,
 * and links"). Decoded once here, so it is stored as plain text and escaped once when shown: `&amp;`
 * typed by a person is `&amp;amp;` on the wire, `&amp;` in the incident, `&amp;` on screen.
 */
export function fromSlack(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

export const VERBS = {
  declare: '<summary>  declare an incident in this channel and find its runbook',
  drill: '<runbook-id>  run a runbook as a drill against the drill cluster',
  status: 'show the incident open in this channel',
  runbooks: 'list the runbooks',
  backups: 'show backup freshness',
  note: '<text>  add a note to the timeline',
  timeline: 'post the timeline as Markdown',
  resolve: 'resolve the incident in this channel',
  abort: '[reason]  abort the incident in this channel',
  help: 'show this help',
} as const;
export type Verb = keyof typeof VERBS;

export type ParsedCommand =
  | { readonly ok: true; readonly verb: Verb; readonly rest: string }
  | { readonly ok: false; readonly message: string };

const NEEDS_TEXT: readonly Verb[] = ['declare', 'drill', 'note'];

export function usage(command: string): string {
  return [
    `*Usage:* \`${command} &lt;command&gt;\``,
    ...Object.entries(VERBS).map(
      ([verb, text]) =>
        `• \`${command} ${verb} ${entities(text).replace('  ', '`  ')}${text.includes('  ') ? '' : '`'}`,
    ),
  ].join('\n');
}

export function parseCommand(command: string, sent: string): ParsedCommand {
  const trimmed = fromSlack(sent).trim();
  const [first = '', ...restWords] = trimmed.split(/\s+/);
  const verb = first.toLowerCase();
  if (verb === '') return { ok: true, verb: 'help', rest: '' };
  if (!Object.hasOwn(VERBS, verb)) {
    return {
      ok: false,
      message: `${inlineCode(`${command} ${[...first].slice(0, 40).join('')}`)} is not a command I know.\n${usage(command)}`,
    };
  }
  const rest = trimmed.slice(first.length).trim();
  if (NEEDS_TEXT.includes(verb as Verb) && rest === '') {
    return {
      ok: false,
      message: `\`${command} ${verb}\` needs ${entities(VERBS[verb as Verb].split('  ')[0] ?? 'text')}: \`${command} ${verb} ${entities(VERBS[verb as Verb].split('  ')[0] ?? '')}\``,
    };
  }
  if (rest.length > 3000) return { ok: false, message: 'That is longer than 3000 characters; shorten it.' };
  return { ok: true, verb: verb as Verb, rest: restWords.length > 0 ? rest : '' };
}

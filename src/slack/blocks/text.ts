import type { TemplateScope } from '../../domain/template.js';

/**
 * The one way user and runbook text reaches Slack's mrkdwn (message `text`, mrkdwn sections, fields
 * and context elements). Slack reads `&`, `<` and `>` as control characters: `<!channel>`,
 * `<@U…>` and `<https://x|label>` only work when sent unescaped, so escaping those three makes any
 * text inert (https://api.slack.com/reference/surfaces/formatting#escaping). Mentions and links in a
 * post are then only the ones Lifeboat writes itself. plain_text objects (headers, buttons, labels)
 * are shown literally by Slack and take the raw text.
 */

/** Slack's three entities; never applied twice to the same text (the input is plain text, not mrkdwn). */
export function entities(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Zero-width space: Slack has no backslash escape, and a delimiter next to one no longer opens or closes a span. */
const ZWSP = '\u200b';

/** `*bold*`, `_italic_`, `~strike~` and `` `code` `` open and close only next to a non-word character. */
const DELIMITER = /[*_~`]/g;
const WORD = /[\p{L}\p{N}]/u;

/**
 * User or runbook text for mrkdwn: entities escaped, and every formatting delimiter that could open
 * or close a span (one not between two letters or digits, so `db_name` is untouched) fenced by a
 * zero-width space, so the text cannot bold, strike or code-span itself or what Lifeboat wraps it in.
 */
export function inert(text: string): string {
  return entities(text).replace(DELIMITER, (char, at: number, whole: string) => {
    const before = whole[at - 1];
    const after = whole[at + 1];
    const inWord = before !== undefined && after !== undefined && WORD.test(before) && WORD.test(after);
    return inWord ? char : `${ZWSP}${char}${ZWSP}`;
  });
}

/**
 * Backticks inside an inline code span become ˋ (U+02CB, modifier letter grave), which looks alike.
 * Slack has no way to escape a backtick inside `…`, and a code block (```) for every value would make
 * the timeline unreadable; a value must stay one readable token that cannot end its span.
 */
export const BACKTICK_LOOKALIKE = '\u02cb';

/** A value shown as `code`: one line, entities escaped, unable to end its span. */
export function inlineCode(value: string): string {
  const body = entities(value).replace(/\r?\n/g, ' ⏎ ').replaceAll('`', BACKTICK_LOOKALIKE);
  return body.trim() === '' ? '_(empty)_' : `\`${body}\``;
}

/**
 * The body of a ``` code block (output, exactly as printed): entities escaped, and a zero-width space
 * after every backtick so no run of three can end the block early; the characters shown stay the same.
 */
export function codeBlockBody(text: string): string {
  return entities(text).replaceAll('`', `\`${ZWSP}`);
}

/** A Slack user id as Slack sends it; anything else is shown as text, never as a mention. */
const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** A mention of someone Slack told us about, or their id as inert text if it is not a user id. */
export function mention(user: string): string {
  return USER_ID.test(user) ? `<@${user}>` : inert(user);
}

/**
 * Lifeboat's own sentences that may quote what a person typed (the engine's refusals, shown only to
 * the person, as ephemerals, so a mention there notifies nobody): entities escaped, user mentions
 * (`<@U…>`, which the engine writes) kept.
 */
export function ownText(text: string): string {
  return entities(text).replace(/&lt;@([UW][A-Z0-9]{2,})&gt;/g, '<@$1>');
}

/**
 * Runbook prose with values filled in (manual instructions, the communication plan): the runbook's
 * own words keep their mrkdwn (`*bold*`, `code`) but lose Slack's control characters (escape the
 * template with `entities` first); every value put in is inert, its backticks the lookalike so it
 * cannot end a code span the prose puts it in.
 */
export function inertValues(scope: TemplateScope): TemplateScope {
  const shown = (text: string): string => inert(text).replaceAll('`', BACKTICK_LOOKALIKE);
  return (path) => {
    const value = scope(path);
    if (typeof value === 'string') return shown(value);
    return value !== null && typeof value === 'object' ? shown(JSON.stringify(value)) : value;
  };
}

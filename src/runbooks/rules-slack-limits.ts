import type { Runbook } from '../domain/runbook.js';
import type { PathFinding } from './finding.js';

/**
 * What Slack cannot show, found before an incident rather than cut in it. The params modal is one
 * view of at most 100 blocks (a title section, one input per param, the checks line); a select
 * offers at most 100 options of values up to 150 characters; a block_id (the param name) is at most
 * 255 characters (https://api.slack.com/reference/block-kit/blocks,
 * https://api.slack.com/reference/block-kit/block-elements#static_select,
 * https://api.slack.com/reference/block-kit/composition-objects#option).
 */
export const SLACK_LIMITS = { modalBlocks: 100, options: 100, optionValue: 150, blockId: 255 } as const;

export function slackLimitFindings(file: string, runbook: Runbook): PathFinding[] {
  const findings: PathFinding[] = [];
  const error = (path: PathFinding['path'], message: string, hint: string, atKey = false): void => {
    findings.push({ file, path, severity: 'error', message, hint, atKey });
  };
  const params = Object.entries(runbook.params ?? {});
  const room = SLACK_LIMITS.modalBlocks - 1 - ((runbook.prerequisites?.checks ?? []).length > 0 ? 1 : 0);
  if (params.length > room)
    error(
      ['params'],
      `${params.length} params, but the parameters form in Slack shows at most ${room}`,
      'split the runbook, or derive some params from others',
      true,
    );
  for (const [name, spec] of params) {
    if (name.length > SLACK_LIMITS.blockId)
      error(
        ['params', name],
        `param name of ${name.length} characters; Slack's limit for a form field id is ${SLACK_LIMITS.blockId}`,
        'shorten the name',
        true,
      );
    if (spec.type !== 'enum') continue;
    if (spec.values.length > SLACK_LIMITS.options)
      error(
        ['params', name, 'values'],
        `param ${name}: ${spec.values.length} values, but a Slack select offers at most ${SLACK_LIMITS.options}`,
        'use type: string with a pattern, or choicesFrom to list them',
      );
    spec.values.forEach((value, i) => {
      if (value.length > SLACK_LIMITS.optionValue)
        error(
          ['params', name, 'values', i],
          `param ${name}: a value of ${value.length} characters; a Slack option's value is at most ${SLACK_LIMITS.optionValue}`,
          'shorten the value',
        );
    });
  }
  return findings;
}

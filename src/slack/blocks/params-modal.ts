import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import type { ChoiceList } from '../../domain/choices.js';
import type { IncidentState } from '../../domain/incident.js';
import type { ParamSpec } from '../../domain/runbook.js';
import { PARAMS_MODAL } from './ids.js';
import { clip, context, escape, LIMITS, modal, section, selectOptions } from './limits.js';

function rule(spec: ParamSpec): string {
  switch (spec.type) {
    case 'string':
      return `text matching ${spec.pattern}`;
    case 'k8sName':
      return 'a Kubernetes name: lower-case letters, digits and "-"';
    case 'enum':
      return `one of ${spec.values.join(', ')}`;
    case 'int':
      return `a whole number${spec.min !== undefined ? ` ≥ ${spec.min}` : ''}${spec.max !== undefined ? ` ≤ ${spec.max}` : ''}`;
    case 'duration':
      return 'a duration such as 15m or 4h';
    case 'url':
      return 'an http(s) URL';
  }
}

/** Choices listed so far, by param name; a param that lists none is absent. */
export type ListedChoices = Readonly<Record<string, ChoiceList>>;

/** What the person reads under a field that lists choices, before the rule. */
function listingNote(list: ChoiceList | undefined): string | undefined {
  if (!list) return undefined;
  if (list.status === 'listing') return '⏳ Listing the choices… (or type a value)';
  if (list.status === 'failed') return `Could not list the choices (${list.error}); type a value`;
  if (list.choices.length === 0) return 'Nothing to choose from was found; type a value';
  // A Slack option's value is at most 150 characters; a longer one cannot be offered, and that is said.
  const offerable = list.choices.filter((c) => c.value.length <= LIMITS.optionValue).length;
  const tooLong = list.choices.length - offerable;
  if (offerable === 0) return `The ${tooLong} found are too long for a Slack list; type a value`;
  const shown = Math.min(offerable, LIMITS.selectOptions);
  const listable = list.total - tooLong;
  const found = listable > shown ? `The first ${shown} of ${listable} found` : `${shown} found`;
  return tooLong > 0 ? `${found} (${tooLong} too long to list; type those)` : found;
}

function input(name: string, spec: ParamSpec, current: string | undefined, list?: ChoiceList): InputBlock {
  const label = { type: 'plain_text' as const, text: clip(spec.prompt, 2000) };
  const initial = current ?? (spec.default !== undefined ? String(spec.default) : undefined);
  const offered =
    spec.type === 'enum'
      ? spec.values.map((value) => ({ value, text: value }))
      : list?.status === 'listed'
        ? list.choices.map((c) => ({
            value: c.value,
            text: c.label,
            ...(c.description ? { description: c.description } : {}),
          }))
        : [];
  const options = selectOptions(offered);
  // A listed value already fits the rule (only such are offered), so the rule is said only for typing.
  const said = spec.type !== 'enum' && options.length > 0 ? [] : [rule(spec)];
  const secretNote = spec.secret
    ? 'Secret: not shown again after you submit it (Slack has no masked field, so type it when nobody watches your screen)'
    : undefined;
  const hintText = clip(
    [listingNote(list), spec.help, secretNote, ...said].filter(Boolean).join(' · '),
    LIMITS.hintText,
  );
  // Slack refuses an empty text object, so a field with nothing to say has no hint.
  const hint = hintText ? { hint: { type: 'plain_text' as const, text: hintText } } : {};
  if (options.length > 0) {
    const initialOption = options.find((o) => o.value === initial);
    return {
      type: 'input',
      block_id: name,
      label,
      ...hint,
      optional: spec.optional ?? (spec.type !== 'enum' && spec.default !== undefined),
      element: {
        type: 'static_select',
        action_id: 'value',
        ...(spec.type === 'enum' ? {} : { placeholder: { type: 'plain_text', text: 'Choose one' } }),
        options,
        ...(initialOption ? { initial_option: initialOption } : {}),
      },
    };
  }
  return {
    type: 'input',
    block_id: name,
    label,
    ...hint,
    optional: spec.optional ?? spec.default !== undefined,
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      max_length: 2000,
      ...(initial !== undefined ? { initial_value: initial } : {}),
    },
  };
}

/** Params whose choices an action lists (`choicesFrom`), in the runbook's order. */
export function paramsWithChoices(state: IncidentState): [string, ParamSpec][] {
  return Object.entries(state.runbook?.params ?? {}).filter(
    ([, spec]) => 'choicesFrom' in spec && spec.choicesFrom,
  );
}

/**
 * The form a responder fills before a runbook starts; values are validated again on submit. Params
 * that list choices show a select once `listed` has them, a text field until then or if listing failed.
 */
export function paramsModal(state: IncidentState, listed: ListedChoices = {}): ModalView {
  const runbook = state.runbook;
  const params = Object.entries(runbook?.params ?? {});
  const blocks: KnownBlock[] = [
    section(
      `*${escape(runbook?.title ?? '')}*\n${escape(runbook?.scenario ?? '')} · targets RTO ${runbook?.targets.rto ?? '?'}, RPO ${runbook?.targets.rpo ?? '?'}`,
    ),
    ...params.map(([name, spec]) =>
      input(
        name,
        spec,
        // A secret is never sent back to Slack, not even sealed: the field starts empty each time.
        state.params[name] === undefined || spec.secret ? undefined : String(state.params[name]),
        Object.hasOwn(listed, name) ? listed[name] : undefined,
      ),
    ),
  ];
  const checks = runbook?.prerequisites?.checks ?? [];
  if (checks.length > 0)
    blocks.push(
      context(`After you submit, Lifeboat checks: ${checks.map((c) => escape(c.title)).join(' · ')}`),
    );
  if (params.length === 0) blocks.push(section('This runbook needs no parameters.'));
  return modal({
    title: 'Runbook parameters',
    submit: 'Start',
    callbackId: PARAMS_MODAL,
    privateMetadata: JSON.stringify({ i: state.id }),
    blocks,
  });
}

/** Values from a view_submission's state, by block id (the param name). */
export function submittedParams(
  values: Readonly<
    Record<
      string,
      Readonly<Record<string, { value?: string | null; selected_option?: { value?: string } | null }>>
    >
  >,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, actions] of Object.entries(values)) {
    const field = actions.value;
    const value = field?.selected_option?.value ?? field?.value ?? undefined;
    if (typeof value === 'string' && value !== '') out[name] = value;
  }
  return out;
}

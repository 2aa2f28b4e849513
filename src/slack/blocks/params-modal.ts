import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { IncidentState } from '../../domain/incident.js';
import type { ParamSpec } from '../../domain/runbook.js';
import { PARAMS_MODAL } from './ids.js';
import { clip, context, escape, modal, section } from './limits.js';

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

function input(name: string, spec: ParamSpec, current: string | undefined): InputBlock {
  const label = { type: 'plain_text' as const, text: clip(spec.prompt, 2000) };
  const hint = {
    type: 'plain_text' as const,
    text: clip(`${spec.help ? `${spec.help} · ` : ''}${rule(spec)}`, 2000),
  };
  const initial = current ?? (spec.default !== undefined ? String(spec.default) : undefined);
  if (spec.type === 'enum') {
    const options: PlainTextOption[] = spec.values
      .slice(0, 100)
      .map((value) => ({ text: { type: 'plain_text', text: clip(value, 75) }, value }));
    const initialOption = options.find((o) => o.value === initial);
    return {
      type: 'input',
      block_id: name,
      label,
      hint,
      optional: spec.optional ?? false,
      element: {
        type: 'static_select',
        action_id: 'value',
        options,
        ...(initialOption ? { initial_option: initialOption } : {}),
      },
    };
  }
  return {
    type: 'input',
    block_id: name,
    label,
    hint,
    optional: spec.optional ?? spec.default !== undefined,
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      max_length: 2000,
      ...(initial !== undefined ? { initial_value: initial } : {}),
    },
  };
}

/** The form a responder fills before a runbook starts; values are validated again on submit. */
export function paramsModal(state: IncidentState): ModalView {
  const runbook = state.runbook;
  const params = Object.entries(runbook?.params ?? {});
  const blocks: KnownBlock[] = [
    section(
      `*${escape(runbook?.title ?? '')}*\n${escape(runbook?.scenario ?? '')} · targets RTO ${runbook?.targets.rto ?? '?'}, RPO ${runbook?.targets.rpo ?? '?'}`,
    ),
    ...params.map(([name, spec]) =>
      input(name, spec, state.params[name] === undefined ? undefined : String(state.params[name])),
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

import { describe, expect, it } from '@jest/globals';
import {
  parseTemplate,
  renderDeep,
  renderTemplate,
  templateRefs,
  TemplateSyntaxError,
  TemplateValueMissing,
} from '../../src/domain/template.js';

const scope = (values: Record<string, unknown>) => (path: readonly string[]) => values[path.join('.')];

describe('templates', () => {
  it('fills names inside one argument, leaving the rest of the text alone', () => {
    expect(
      renderTemplate(
        '--data-dir={{ workdir }}/{{ params.member }}.etcd',
        scope({ workdir: '/tmp/x', 'params.member': 'm1' }),
      ),
    ).toBe('--data-dir=/tmp/x/m1.etcd');
  });

  it('uses default(...) when the value is missing, from a name or a literal', () => {
    const lookup = scope({ 'checks.fresh-backup.result.name': 'daily-20261125' });
    expect(renderTemplate('{{ params.backup | default(checks.fresh-backup.result.name) }}', lookup)).toBe(
      'daily-20261125',
    );
    expect(renderTemplate("{{ params.ns | default('payments') }}", lookup)).toBe('payments');
  });

  it('refuses to render a missing value as an empty string', () => {
    expect(() => renderTemplate('{{ params.namespace }}', scope({}))).toThrow(TemplateValueMissing);
  });

  it('keeps hostile values as text: they never become extra arguments', () => {
    const hostile = '; rm -rf / $(reboot) `id`\n--force';
    const argv = renderDeep(['velero', 'restore', '{{ params.ns }}'], scope({ 'params.ns': hostile }));
    expect(argv).toEqual(['velero', 'restore', hostile]);
  });

  it('lists every name a string refers to, including defaults', () => {
    expect(templateRefs('{{ a.b | default(c.d) }} and {{ e }}').map((r) => r.text)).toEqual([
      'a.b',
      'c.d',
      'e',
    ]);
  });

  it('rejects malformed templates with a message naming the problem', () => {
    expect(() => parseTemplate('{{ params.x | upper }}')).toThrow(/unknown filter/);
    expect(() => parseTemplate('{{ params.x ')).toThrow(TemplateSyntaxError);
    expect(() => parseTemplate('{{ params..x }}')).toThrow(/not a name/);
  });
});

import { SUGGEST_WHEN, type DecisionTree, type TreeNode, type TreeOption } from '../domain/tree.js';

/** Mermaid entity codes; `#` first so the codes added after it are not escaped again. */
const ENTITIES: readonly (readonly [RegExp, string])[] = [
  [/#/g, '#35;'],
  [/"/g, '#quot;'],
  [/</g, '#lt;'],
  [/>/g, '#gt;'],
  [/`/g, '#96;'],
];

/** Text safe inside a double-quoted Mermaid label; `lines` are joined with `<br/>` after escaping. */
export function mermaidLabel(...lines: readonly string[]): string {
  const escaped = lines.map((line) =>
    ENTITIES.reduce((text, [pattern, code]) => text.replace(pattern, code), line),
  );
  return `"${escaped.join('<br/>')}"`;
}

/** Plain text that Markdown must not read as markup: `<all>` would vanish as an HTML tag. */
export function markdownText(text: string): string {
  return text.replace(/[\\`*[\]<>]/g, '\\$&');
}

/** Maps any string to an identifier Mermaid accepts; two different keys never share one. */
function idMaker(prefix: string): (key: string) => string {
  const byKey = new Map<string, string>();
  const taken = new Set<string>();
  return (key) => {
    const known = byKey.get(key);
    if (known !== undefined) return known;
    const base = `${prefix}${key.replace(/[^A-Za-z0-9]/g, '_')}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    byKey.set(key, id);
    taken.add(id);
    return id;
  };
}

function questionLines(node: TreeNode): string[] {
  return node.probe ? [node.question, `🔎 probe: ${node.probe.action}`] : [node.question];
}

const PROBE_WORDS = { healthy: 'passes', degraded: 'finds it degraded', unhealthy: 'fails' } as const;

function edgeLines(option: TreeOption): string[] {
  if (!option.suggestWhen) return [option.label];
  return [option.label, `(suggested when the probe ${PROBE_WORDS[SUGGEST_WHEN[option.suggestWhen]]})`];
}

/** The start node first, then the others in file order: Mermaid lays out the first one on top. */
function orderedNodes(tree: DecisionTree): [string, TreeNode][] {
  const entries = Object.entries(tree.nodes);
  return [...entries.filter(([id]) => id === tree.start), ...entries.filter(([id]) => id !== tree.start)];
}

/** `flowchart TD` of a decision tree: questions are rhombi, options are labelled edges, runbooks are stadiums. */
export function treeMermaid(tree: DecisionTree, runbookTitles: ReadonlyMap<string, string>): string {
  const nodeId = idMaker('q_');
  const runbookId = idMaker('rb_');
  const lines = ['flowchart TD'];
  const leaves: string[] = [];
  for (const [id, node] of orderedNodes(tree)) {
    lines.push(`  ${nodeId(id)}{${mermaidLabel(...questionLines(node))}}`);
    for (const option of node.options) {
      const target = option.next !== undefined ? nodeId(option.next) : runbookId(option.runbook ?? '');
      if (option.runbook !== undefined && !leaves.includes(option.runbook)) leaves.push(option.runbook);
      lines.push(`  ${nodeId(id)} -->|${mermaidLabel(...edgeLines(option))}| ${target}`);
    }
  }
  for (const id of leaves) {
    const title = runbookTitles.get(id);
    lines.push(`  ${runbookId(id)}([${mermaidLabel(...(title === undefined ? [id] : [title, id]))}])`);
  }
  return `${lines.join('\n')}\n`;
}

/** The same tree as nested Markdown lists, for printers that cannot render Mermaid. */
export function treeOutline(tree: DecisionTree, runbookTitles: ReadonlyMap<string, string>): string {
  const shown = new Set<string>();
  const lines: string[] = [];
  const runbookLink = (id: string): string =>
    `runbook [${markdownText(runbookTitles.get(id) ?? id)}](${id}.md) (\`${id}\`)`;
  const visit = (id: string, indent: string): void => {
    const node = tree.nodes[id];
    if (!node) return;
    // A question reached twice is written out once; later mentions point back to it.
    if (shown.has(id)) {
      lines.push(`${indent}- go to “${markdownText(node.question)}” above`);
      return;
    }
    shown.add(id);
    const probe = node.probe ? ` (🔎 probe: \`${node.probe.action}\`)` : '';
    lines.push(`${indent}- **${markdownText(node.question)}**${probe}`);
    if (node.help) lines.push(`${indent}  ${markdownText(node.help)}`);
    for (const option of node.options) {
      const target = option.runbook !== undefined ? ` ${runbookLink(option.runbook)}` : '';
      lines.push(`${indent}  - ${markdownText(option.label)} →${target}`);
      if (option.next !== undefined) visit(option.next, `${indent}    `);
    }
  };
  visit(tree.start, '');
  return `${lines.join('\n')}\n`;
}

/** The binder's chapter on one tree: drawn for Mermaid, then outlined for plain printers. */
export function treeSection(tree: DecisionTree, runbookTitles: ReadonlyMap<string, string>): string {
  return [
    `## Decision tree: ${markdownText(tree.title)}`,
    'Start at the top; follow the answer that matches what you see.',
    `\`\`\`mermaid\n${treeMermaid(tree, runbookTitles)}\`\`\``,
    '### The same tree as a list',
    treeOutline(tree, runbookTitles).trimEnd(),
  ].join('\n\n');
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { loadRunbooks } from '../../src/runbooks/load.js';
import { treeMermaid } from '../../src/runbooks/export-mermaid.js';
import { launchChromium } from '../support/browser.js';
import { SHIPPED_RUNBOOKS } from '../support/runbook-folder.js';

const MERMAID = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
  await page.addScriptTag({ path: MERMAID });
  await page.evaluate('mermaid.initialize({ startOnLoad: false })');
}, 60_000);
afterAll(async () => {
  await browser.close();
});

/** Renders with the real Mermaid in a real browser; returns the labels of the drawn nodes. */
// Browser-side code as text: the project compiles without DOM types.
const RENDER_IN_PAGE = `async (source) => {
  const { svg } = await mermaid.render('tree' + Math.random().toString(36).slice(2), source);
  const out = document.getElementById('out');
  out.innerHTML = svg;
  return [...out.querySelectorAll('g.node')].map((node) => (node.textContent || '').replace(/\\s+/g, ' ').trim());
}`;

async function render(text: string): Promise<string[]> {
  return page.evaluate<string[]>(`(${RENDER_IN_PAGE})(${JSON.stringify(text)})`);
}

describe('the exported decision tree', () => {
  it('renders in Mermaid with every question and every runbook as a node', async () => {
    const library = await loadRunbooks(SHIPPED_RUNBOOKS);
    const tree = library.defaultTree?.tree;
    if (!tree) throw new Error('no default tree');
    const titles = new Map([...library.runbooks].map(([id, r]) => [id, r.runbook.title]));
    const labels = await render(treeMermaid(tree, titles));
    expect(labels).toHaveLength(Object.keys(tree.nodes).length + library.runbooks.size);
    for (const node of Object.values(tree.nodes))
      expect(labels).toContainEqual(expect.stringContaining(node.question));
    for (const title of titles.values()) expect(labels).toContainEqual(expect.stringContaining(title));
  });

  it('is checked for real: Mermaid rejects a broken flowchart', async () => {
    await expect(render('flowchart TD\n  a{"unclosed --> b')).rejects.toThrow();
  });
});

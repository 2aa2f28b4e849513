import { z } from 'zod';
import { DecisionTree } from '../domain/tree.js';
import { Runbook } from '../domain/runbook.js';

/** JSON Schema for editors (yaml-language-server), generated from the same zod schemas lint uses. */
export function runbookJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(z.union([Runbook, DecisionTree]), { io: 'input', unrepresentable: 'any' });
  return { ...schema, title: 'Lifeboat runbook or decision tree (lifeboat/v1)' };
}

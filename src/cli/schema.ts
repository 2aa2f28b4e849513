import { writeFile } from 'node:fs/promises';
import { runbookJsonSchema } from '../runbooks/json-schema.js';

export async function schemaCommand(out: string | undefined): Promise<number> {
  const text = `${JSON.stringify(runbookJsonSchema(), null, 2)}\n`;
  if (out) await writeFile(out, text);
  else process.stdout.write(text);
  return 0;
}

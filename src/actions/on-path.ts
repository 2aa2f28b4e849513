import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';

/** Whether `program` is an executable in one of PATH's folders, as execa would find it. */
export async function onPath(program: string, searchPath = process.env.PATH ?? ''): Promise<boolean> {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, program);
    const found = await access(candidate, constants.X_OK).then(
      async () => (await stat(candidate)).isFile(),
      () => false,
    );
    if (found) return true;
  }
  return false;
}

export async function exportCommand(_runbooks: string, _out: string): Promise<number> {
  process.stderr.write('lifeboat export: not built yet\n');
  return 1;
}

import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
type PackageJson = { bin: { lifeboat: string }; engines: { node: string }; scripts: Record<string, string> };
const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const BIN = path.join(ROOT, pkg.bin.lifeboat);

/** A Node older than the app needs: the machine's own (Debian's Node 20 here), or LIFEBOAT_OLD_NODE (.ci/run sets it). */
const OLD_NODE = process.env.LIFEBOAT_OLD_NODE || '/usr/bin/node';

async function oldNodeVersion(): Promise<string> {
  const { stdout } = await execa(OLD_NODE, ['--version']).catch(() => {
    throw new Error(`no Node at ${OLD_NODE} to test with: run bash .ci/run, which sets LIFEBOAT_OLD_NODE`);
  });
  const [major = 0, minor = 0] = stdout.trim().slice(1).split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 19))
    throw new Error(
      `${OLD_NODE} is ${stdout.trim()}, not older than 22.19: set LIFEBOAT_OLD_NODE to an older one`,
    );
  return stdout.trim();
}

describe('the lifeboat command on a Node that is too old', () => {
  it.each([['demo'], ['serve'], ['lint', 'runbooks'], ['--help']])(
    '`lifeboat %s` says in one line what is needed and how to get it, and exits 1',
    async (...args) => {
      const version = await oldNodeVersion();
      const result = await execa(OLD_NODE, [BIN, ...args], { cwd: ROOT, reject: false, timeout: 20_000 });
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      // One line, no stack trace: the app (and undici with it) never loaded.
      expect(result.stderr.split('\n')).toEqual([
        `lifeboat needs Node.js 22.19+ (24 LTS recommended), this is ${version}: run \`nvm install 24\`, ` +
          'or `npm install -g --prefix ~/.local/lifeboat-node24 node@24` and put ~/.local/lifeboat-node24/bin first on PATH',
      ]);
    },
  );

  it("names the version package.json's engines demands", () => {
    expect(pkg.engines.node).toBe('>=22.19.0');
  });

  it('`npm run demo` and the other scripts start the CLI through that check', () => {
    const cli = Object.entries(pkg.scripts).filter(([, command]) => /\bdist\/cli\//.test(command));
    expect(cli.map(([name]) => name).sort()).toEqual(['demo', 'lint:runbooks']);
    for (const [, command] of cli) expect(command).toContain(`node ${pkg.bin.lifeboat} `);
  });
});

describe('the lifeboat command on the Node it runs with', () => {
  it('`lifeboat --help` lists the commands', async () => {
    const result = await execa(process.execPath, [BIN, '--help'], { cwd: ROOT, reject: false });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^\s+serve\b/m);
    expect(result.stdout).toMatch(/^\s+demo\b/m);
  });
});

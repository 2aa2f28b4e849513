import { describe, expect, it } from '@jest/globals';
import { filledArgProblems, templatedCode } from '../../src/domain/argv.js';

const T = '{{ params.healthUrl }}';
/** The indexes of the arguments refused, for a command written as a runbook author would. */
const refused = (argv: string[]): number[] => templatedCode(argv).map((problem) => problem.index);

describe('templates where an argv list holds code', () => {
  it.each([
    [['bash', '-ec', `echo "${T}"`], 2],
    [['sh', '-c', `curl ${T}`], 2],
    [['/bin/sh', '-xc', `curl ${T}`], 2],
    [['bash', '-cex', `curl ${T}`], 2],
    [['bash', '-e', '-o', 'pipefail', '-c', `curl ${T}`], 5],
    [['bash', '--norc', '-c', `curl ${T}`], 3],
    [['sh', '-c', '-e', `curl ${T}`], 3],
    [['dash', '-c', T], 2],
    [['zsh', '-c', T], 2],
    [['ash', '-c', T], 2],
    [['ksh', '-c', T], 2],
    [['busybox', 'sh', '-c', T], 3],
    [['env', 'sh', '-c', T], 3],
    [['env', '-i', 'A=1', 'B=2', 'sh', '-c', T], 6],
    [['env', '-u', 'HOME', '--chdir', '/tmp', 'bash', '-ec', T], 7],
    [['env', '-S', `sh -c ${T}`], 2],
    [['sudo', '-u', 'root', '-E', 'sh', '-c', T], 6],
    [['sudo', '-s', 'curl', T], 3],
    [['nice', '-n', '10', 'bash', '-c', T], 5],
    [['timeout', '-s', 'KILL', '30s', 'sh', '-c', T], 6],
    [['timeout', '30s', 'env', 'FOO=1', 'sh', '-c', T], 6],
    [['xargs', '-n', '1', 'sh', '-c', T], 5],
    [['nohup', 'sh', '-c', T], 3],
    [['ionice', '-c', '3', 'sh', '-c', T], 5],
    [['setsid', '-w', 'sh', '-c', T], 4],
    [['stdbuf', '-o', 'L', 'sh', '-c', T], 5],
    [['python3', '-c', `import os; os.system("${T}")`], 2],
    [['python3.12', '-Ic', T], 2],
    [['/usr/bin/python', `-cprint("${T}")`], 1],
    [['perl', '-e', T], 2],
    [['perl', '-lne', T], 2],
    [['perl', '-E', T], 2],
    [['node', '-e', T], 2],
    [['node', '--eval', T], 2],
    [['node', `--eval=${T}`], 1],
    [['node', '-p', T], 2],
    [['node', '-pe', T], 2],
    [['ruby', '-e', T], 2],
    [['awk', `{ print "${T}" }`], 1],
    [['awk', '-F', ':', `{ print "${T}" }`, '/etc/passwd'], 3],
    [['gawk', '-e', T], 2],
    [['sed', '-n', `s/x/${T}/ep`], 2],
    [['sed', '-e', T, 'file'], 2],
    [['watch', '-n', '5', 'curl', T], 4],
    [['ssh', '-p', '22', 'host', 'curl', T], 5],
    [['kubectl', 'exec', '-n', 'etcd', 'pod', '--', 'sh', '-c', T], 8],
    [['su', '-c', T], 2],
    [['time', '-v', 'sh', '-c', T], 4],
    [['flock', '/run/lock/etcd', 'bash', '-ec', T], 4],
    [['find', '.', '-name', '*.db', '-exec', 'sh', '-c', T, ';'], 7],
    [['docker', 'exec', 'etcd', 'sh', '-c', T], 5],
    [['bash', `-c${T}`], 1],
    [['bash', `--rcfile=${T}`, 'script.sh'], 1],
    [['env', `-${T}`, 'true'], 1],
  ])('%j: argument %d is a script', (argv, index) => {
    expect(refused(argv)).toEqual([index]);
    const [problem] = templatedCode(argv);
    expect(problem?.message).toMatch(/could inject commands/);
    expect(problem?.hint).toMatch(/own argument/);
  });

  it.each([
    [['{{ params.tool }}', 'version'], 0],
    [['env', 'A=1', '{{ params.tool }}'], 2],
    [['env', '{{ params.name }}=1', 'sh'], 1],
    [['sh', '{{ workdir }}/script.sh'], 1],
    [['python3', '{{ params.file }}'], 1],
    [['python3', '-m', '{{ params.module }}'], 2],
    [['timeout', '5m', '{{ params.tool }}'], 2],
  ])('%j: argument %d names the program to run', (argv, index) => {
    expect(refused(argv)).toEqual([index]);
  });

  it.each([
    [['sh', '-c', 'curl -fsS "$1"', 'sh', T]],
    [['bash', '-ec', 'curl -fsS "$1"', '_', T]],
    [['env', `URL=${T}`, 'sh', '-c', 'curl -fsS "$URL"']],
    [['python3', '-c', 'import sys; print(sys.argv[1])', T]],
    [['node', '-e', 'console.log(process.argv[1])', '--', T]],
    [['perl', '-e', 'print $ARGV[0]', T]],
    [['awk', '-v', `url=${T}`, '{ print url }']],
    [['kubectl', '--context', '{{ cluster.primary.context }}', 'get', '--raw', '/readyz']],
    [['kubectl', 'exec', 'pod', '--', 'etcdctl', 'get', T]],
    [['etcdctl', '--endpoints', T, 'endpoint', 'health']],
    [['curl', '-fsS', T]],
  ])('%j: templates as data arguments are allowed', (argv) => {
    expect(templatedCode(argv)).toEqual([]);
  });
});

describe('values filled into an argv list', () => {
  const written = ['curl', '-fsS', T];
  it('refuses a value that would become an option, and one with a line break or NUL', () => {
    expect(filledArgProblems(written, ['curl', '-fsS', '--output=/etc/x'])).toEqual([
      expect.objectContaining({ index: 2, message: expect.stringMatching(/starts with "-"/) }),
    ]);
    expect(filledArgProblems(written, ['curl', '-fsS', 'a\nb'])[0]?.message).toMatch(/line break/);
    expect(filledArgProblems(written, ['curl', '-fsS', 'a\u0000b'])[0]?.message).toMatch(/NUL/);
  });

  it('allows a dash after "--", inside --flag={{ … }}, and after a shell script', () => {
    expect(filledArgProblems(['rm', '--', T], ['rm', '--', '-x'])).toEqual([]);
    expect(filledArgProblems(['curl', `--url=${T}`], ['curl', '--url=-x'])).toEqual([]);
    expect(
      filledArgProblems(['sh', '-c', 'echo "$1"', '_', T], ['sh', '-c', 'echo "$1"', '_', '-x']),
    ).toEqual([]);
    expect(filledArgProblems(['curl', 'x'], ['curl', 'x'])).toEqual([]);
  });
});

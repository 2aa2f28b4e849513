/**
 * Which arguments of an argv list a program reads as code: a shell's `-c` script (however the
 * flags are combined), `python -c`, `perl -e`, `node -e`, an awk or sed program, and whatever a
 * wrapper (env, sudo, timeout, xargs, …) runs. A template there could inject commands; a template
 * in an argument of its own after the script reaches the program as data ("$1", sys.argv), which
 * is safe. Lint and the shell action both ask this one function.
 */
import { parseOptions, type Options, type Parsed } from './argv-options.js';
import { hasTemplate } from './template.js';

export const CODE_ROLES = ['program', 'script'] as const;
export type CodeRole = (typeof CODE_ROLES)[number];

/** An argument that is code: `via` names who reads it, e.g. "bash -ec" or "env → python3 -c". */
export type CodeArg = { readonly index: number; readonly role: CodeRole; readonly via: string };

export type ArgvAnalysis = {
  readonly code: readonly CodeArg[];
  /** From here on the innermost program takes no more options (after `--`, or after a shell's or python's script). */
  readonly positionalFrom: number;
  /** The shell family of the innermost interpreter, for the hint ("$1" or sys.argv[1]). */
  readonly family: 'shell' | 'other' | 'none';
};

type Scan = { code: CodeArg[]; positionalFrom: number; family: ArgvAnalysis['family'] };
type Rule = (argv: readonly string[], at: number, via: string) => Scan;

const script = (index: number, via: string): CodeArg => ({ index, role: 'script', via });
/** The option words of `parsed` that hold a template, as code. */
const optionWords = (parsed: Parsed, via: string): CodeArg[] =>
  parsed.templated.map((index) => script(index, `${via} options`));
const program = (index: number, via: string): CodeArg => ({ index, role: 'program', via });
const dashDash = (argv: readonly string[], from: number): number => {
  const found = argv.indexOf('--', from);
  return found < 0 ? argv.length : found + 1;
};

/** sh, bash, dash, zsh, ksh, ash: `-c` is a flag (also inside `-ec`, `-cex`), and the script is the first operand. */
const posixShell: Rule = (argv, at, via) => {
  const parsed = parseOptions(argv, at, { valued: 'oO', valuedLong: ['rcfile', 'init-file'], plus: true });
  const options = optionWords(parsed, via);
  const cluster = argv.slice(at, parsed.operand).find((arg) => /^-[^-]*c/.test(arg)) ?? '-c';
  if (parsed.flags.has('c')) {
    const found = parsed.operand < argv.length ? [script(parsed.operand, `${via} ${cluster}`)] : [];
    return { code: [...options, ...found], positionalFrom: parsed.operand + 1, family: 'shell' };
  }
  if (parsed.flags.has('s') || parsed.operand >= argv.length)
    return { code: options, positionalFrom: parsed.operand, family: 'shell' };
  // Without -c the first operand is the script file to run.
  const file = program(parsed.operand, via);
  return { code: [...options, file], positionalFrom: parsed.operand + 1, family: 'shell' };
};

/** Interpreters whose options carry code (`python -c`, `perl -e`, `node --eval`); without one, the first operand is the script file. */
function interpreter(options: Options, stopsAtCode: boolean): Rule {
  return (argv, at, via) => {
    const parsed = parseOptions(argv, at, options);
    const code = [
      ...optionWords(parsed, via),
      ...parsed.code.map(({ index, option }) => script(index, `${via} ${option}`)),
    ];
    if (parsed.code.length > 0) {
      const lastCode = Math.max(...parsed.code.map(({ index }) => index));
      const positionalFrom = stopsAtCode ? lastCode + 1 : dashDash(argv, at);
      return { code, positionalFrom, family: 'other' };
    }
    if (parsed.operand < argv.length) code.push(program(parsed.operand, via));
    return { code, positionalFrom: parsed.operand + 1, family: 'other' };
  };
}

/** awk and sed: the program is `-e`/`-f`'s value, or else the first operand. */
function programText(options: Options): Rule {
  return (argv, at, via) => {
    const parsed = parseOptions(argv, at, options);
    const code = [
      ...optionWords(parsed, via),
      ...parsed.code.map(({ index, option }) => script(index, `${via} ${option}`)),
    ];
    if (parsed.code.length === 0 && parsed.operand < argv.length)
      code.push(script(parsed.operand, `${via} program`));
    return { code, positionalFrom: dashDash(argv, at), family: 'other' };
  };
}

/** env, sudo, nice, timeout, …: after their own options (and `skip` operands) comes the program they run. */
function wrapper(
  options: Options,
  skip: (argv: readonly string[], operand: number) => number = (_, o) => o,
): Rule {
  return (argv, at, via) => {
    const parsed = parseOptions(argv, at, options);
    const code = [
      ...optionWords(parsed, via),
      ...parsed.code.map(({ index, option }) => script(index, `${via} ${option}`)),
    ];
    const next = skip(argv, parsed.operand);
    const inner = scan(argv, next, via);
    return { ...inner, code: [...code, ...inner.code] };
  };
}

/** Everything after the options (ssh's remote command, `watch`, `sudo -s`) is joined into one shell script. */
function allScript(from: number, argv: readonly string[], via: string): Scan {
  const code = argv.slice(from).map((_, k) => script(from + k, via));
  return { code, positionalFrom: argv.length, family: 'shell' };
}

const withOptions = (parsed: Parsed, via: string, inner: Scan): Scan => ({
  ...inner,
  code: [...optionWords(parsed, via), ...inner.code],
});

const ENV_ASSIGNMENT = /^([^=]*)=/s;

const RULES: Readonly<Record<string, Rule>> = {
  sh: posixShell,
  bash: posixShell,
  dash: posixShell,
  zsh: posixShell,
  ksh: posixShell,
  mksh: posixShell,
  ash: posixShell,
  hush: posixShell,
  fish: interpreter({ code: 'cC', codeLong: ['command', 'init-command'] }, true),
  python: interpreter({ code: 'cm', valued: 'WX' }, true),
  perl: interpreter({ code: 'eEMm', valued: 'I' }, false),
  ruby: interpreter({ code: 'er', valued: 'ICEF' }, false),
  node: interpreter(
    {
      code: 'epr',
      codeLong: ['eval', 'print', 'require', 'import', 'loader', 'experimental-loader'],
      valued: 'C',
      attached: false,
    },
    false,
  ),
  php: interpreter({ code: 'rBREfd', valued: 'cz' }, false),
  lua: interpreter({ code: 'el' }, false),
  Rscript: interpreter({ code: 'e' }, false),
  // PowerShell's options are single-dash words, case-insensitive: everything after it is treated as code.
  pwsh: (argv, at, via) => allScript(at, argv, via),
  powershell: (argv, at, via) => allScript(at, argv, via),
  awk: programText({
    valued: 'Fv',
    code: 'efEil',
    valuedLong: ['field-separator', 'assign'],
    codeLong: ['source', 'file', 'include', 'load', 'exec'],
  }),
  sed: programText({
    valued: 'l',
    code: 'ef',
    valuedLong: ['line-length'],
    codeLong: ['expression', 'file'],
  }),
  busybox: (argv, at, via) => scan(argv, at, via),
  env: wrapper(
    { valued: 'uC', code: 'S', valuedLong: ['unset', 'chdir'], codeLong: ['split-string'] },
    (argv, operand) => {
      let i = operand;
      while (
        ENV_ASSIGNMENT.test(argv[i] ?? '') &&
        !hasTemplate(ENV_ASSIGNMENT.exec(argv[i] ?? '')?.[1] ?? '')
      )
        i++;
      return i;
    },
  ),
  sudo: (argv, at, via) => {
    const options = {
      valued: 'ugCDprtUTR',
      valuedLong: ['user', 'group', 'close-from', 'chdir', 'prompt', 'role', 'type', 'other-user', 'host'],
    };
    const parsed = parseOptions(argv, at, options);
    // `sudo -s cmd` and `sudo -i cmd` hand the command to a shell's -c.
    if (['s', 'i', '--shell', '--login'].some((flag) => parsed.flags.has(flag)))
      return withOptions(parsed, via, allScript(parsed.operand, argv, `${via} -s`));
    return wrapper(options)(argv, at, via);
  },
  doas: wrapper({ valued: 'uC' }),
  nice: wrapper({ valued: 'n', valuedLong: ['adjustment'] }),
  nohup: wrapper({}),
  setsid: wrapper({}),
  ionice: wrapper({ valued: 'cnpPu', valuedLong: ['class', 'classdata'] }),
  stdbuf: wrapper({ valued: 'ioe', valuedLong: ['input', 'output', 'error'] }),
  xargs: wrapper({
    valued: 'adEILnPs',
    valuedLong: [
      'arg-file',
      'delimiter',
      'max-args',
      'max-procs',
      'max-chars',
      'max-lines',
      'process-slot-var',
    ],
  }),
  // timeout [options] DURATION COMMAND; chroot [options] NEWROOT COMMAND.
  timeout: wrapper({ valued: 'sk', valuedLong: ['signal', 'kill-after'] }, (_, operand) => operand + 1),
  chroot: wrapper({ valuedLong: ['userspec', 'groups'] }, (_, operand) => operand + 1),
  su: interpreter({ code: 'c', codeLong: ['command', 'session-command'], valued: 'sgGw' }, true),
  watch: (argv, at, via) => {
    const parsed = parseOptions(argv, at, { valued: 'nq', valuedLong: ['interval'] });
    // Without -x, watch joins its arguments and gives them to `sh -c`.
    if (parsed.flags.has('x') || parsed.flags.has('--exec'))
      return withOptions(parsed, via, scan(argv, parsed.operand, via));
    return withOptions(parsed, via, allScript(parsed.operand, argv, `${via} (sh -c)`));
  },
  ssh: (argv, at, via) => {
    const parsed = parseOptions(argv, at, { valued: 'BbcDEeFIiJLlmOopQRSWw' });
    // The words after the host are joined into a command for the remote user's shell.
    return withOptions(parsed, via, allScript(parsed.operand + 1, argv, `${via} remote command`));
  },
  kubectl: (argv, at, via) => {
    const sub = argv.slice(at).find((arg) => !arg.startsWith('-'));
    if (sub !== 'exec' && sub !== 'debug') return { code: [], positionalFrom: argv.length, family: 'none' };
    const split = argv.indexOf('--', at);
    return split < 0
      ? { code: [], positionalFrom: argv.length, family: 'none' }
      : scan(argv, split + 1, `${via} ${sub} --`);
  },
};

const INTERPRETERS = new Set([
  ...['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'hush', 'fish', 'busybox'],
  ...['python', 'perl', 'ruby', 'node', 'php', 'lua', 'Rscript', 'awk', 'sed', 'su'],
]);

/** `/usr/bin/python3.12` → python, `gawk` → awk, `nodejs` → node. */
export function programName(arg: string): string {
  const base = arg.split('/').at(-1) ?? arg;
  const plain = base.replace(/[0-9.]+$/, '');
  if (/^[gmn]?awk$/.test(plain)) return 'awk';
  if (plain === 'nodejs') return 'node';
  if (plain === 'gsed') return 'sed';
  return Object.hasOwn(RULES, plain) ? plain : base;
}

function scan(argv: readonly string[], at: number, via: string): Scan {
  const arg = argv[at];
  if (arg === undefined) return { code: [], positionalFrom: argv.length, family: 'none' };
  const name = programName(arg);
  const base = arg.split('/').at(-1) ?? arg;
  const here = via === '' ? base : `${via} → ${base}`;
  const rule = Object.hasOwn(RULES, name) ? RULES[name] : undefined;
  const self = program(at, via);
  if (!rule) return { code: [self], positionalFrom: dashDash(argv, at + 1), family: 'none' };
  const inner = rule(argv, at + 1, here);
  return { ...inner, code: [self, ...inner.code] };
}

/** The arguments of `argv` that are code: the programs run (also through wrappers) and the scripts given to interpreters. */
export function analyseArgv(argv: readonly string[]): ArgvAnalysis {
  const main = scan(argv, 0, '');
  // One entry per argument; "python -c" says more than "python options" about the same word.
  const code: CodeArg[] = [];
  for (const found of main.code) {
    const seen = code.findIndex(({ index }) => index === found.index);
    if (seen < 0) code.push(found);
    else if (code[seen]?.via.endsWith(' options')) code[seen] = found;
  }
  // Programs that run others and are not listed (time, flock, find -exec, strace, docker exec):
  // an interpreter named anywhere in their arguments is read as if it ran, and its scripts count.
  for (const [k, arg] of argv.entries()) {
    const name = programName(arg);
    if (k === 0 || !INTERPRETERS.has(name)) continue;
    const rule = RULES[name];
    const base = arg.split('/').at(-1) ?? arg;
    for (const found of rule?.(argv, k + 1, base).code ?? [])
      if (found.role === 'script' && !code.some(({ index }) => index === found.index)) code.push(found);
  }
  return { ...main, code };
}

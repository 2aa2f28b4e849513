/** How a program's options are read, getopt style: which take a value, which carry code. */
import { hasTemplate } from './template.js';

export type Options = {
  /** Short options taking a value (attached, `-oVALUE`, or the next argument). */
  readonly valued?: string;
  readonly valuedLong?: readonly string[];
  /** Short and long options whose value is code. */
  readonly code?: string;
  readonly codeLong?: readonly string[];
  /** Whether `-eVALUE` carries its value attached (perl, python) or only the last letter takes the next argument (node). */
  readonly attached?: boolean;
  /** Shells also take `+o name`. */
  readonly plus?: boolean;
};

export type Parsed = {
  /** Index of the first operand (argv.length when none). */
  readonly operand: number;
  /** Indexes of option values that are code, with the option that carried each. */
  readonly code: readonly { index: number; option: string }[];
  readonly flags: ReadonlySet<string>;
  /** Option words holding a template (`-c{{ … }}`, `--rcfile={{ … }}`): a value must not choose an interpreter's options. */
  readonly templated: readonly number[];
};

/** A getopt-style walk over the options of one program, stopping at its first operand or `--`. */
export function parseOptions(argv: readonly string[], from: number, options: Options): Parsed {
  const code: { index: number; option: string }[] = [];
  const flags = new Set<string>();
  const templated: number[] = [];
  const takesValue = (letter: string): boolean =>
    (options.valued ?? '').includes(letter) || (options.code ?? '').includes(letter);
  let i = from;
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') return { operand: i + 1, code, flags, templated };
    const long = /^--([^=]+)(=.*)?$/s.exec(arg);
    const isOption =
      long !== null ||
      (arg.length > 1 && (arg.startsWith('-') || (options.plus === true && arg.startsWith('+'))));
    if (isOption && hasTemplate(arg)) templated.push(i);
    if (long) {
      const name = long[1] ?? '';
      flags.add(`--${name}`);
      const isCode = (options.codeLong ?? []).includes(name);
      if (long[2] !== undefined) {
        if (isCode) code.push({ index: i, option: `--${name}` });
      } else if (isCode || (options.valuedLong ?? []).includes(name)) {
        i++;
        if (isCode) code.push({ index: i, option: `--${name}` });
      }
      continue;
    }
    const short = arg.length > 1 && (arg.startsWith('-') || (options.plus === true && arg.startsWith('+')));
    if (!short) break;
    const letters = arg.slice(1);
    for (const [j, letter] of [...letters].entries()) {
      const last = j === letters.length - 1;
      if (!takesValue(letter) || (options.attached === false && !last)) {
        flags.add(letter);
        continue;
      }
      flags.add(letter);
      const isCode = (options.code ?? '').includes(letter);
      const rest = letters.slice(j + 1);
      if (rest !== '' && options.attached !== false) {
        if (isCode) code.push({ index: i, option: `-${letter}` });
      } else {
        i++;
        if (isCode) code.push({ index: i, option: `-${letter}` });
      }
      break;
    }
  }
  return { operand: i, code, flags, templated };
}

/** What lint and the shell action say about an argv list: templates in code, and filled values that do not fit. */
import { analyseArgv } from './argv-programs.js';
import { hasTemplate } from './template.js';

export { analyseArgv, type ArgvAnalysis, type CodeArg } from './argv-programs.js';

export type ArgvProblem = { readonly index: number; readonly message: string; readonly hint: string };

const SHELL_HINT =
  'pass the value as its own argument after the script and refer to it as "$1" (sh -c \'cmd "$1"\' _ "{{ … }}"), or set it under env: and use "$NAME"';
const OTHER_HINT =
  "pass the value as its own argument after the script and read it from the program's argv (sys.argv[1], $ARGV[0], process.argv[1]), or set it under env:";

/** Templates where a program or a script is expected: each could make the step run something its author did not write. */
export function templatedCode(argv: readonly string[]): ArgvProblem[] {
  const analysis = analyseArgv(argv);
  return analysis.code
    .filter(({ index }) => hasTemplate(argv[index] ?? ''))
    .map(({ index, role, via }) =>
      role === 'program'
        ? {
            index,
            message:
              via === ''
                ? 'the program of a shell step cannot come from a template'
                : `the program that ${via} runs cannot come from a template`,
            hint: 'name the program literally; templates may fill its arguments',
          }
        : {
            index,
            message: `a template inside a "${via}" script could inject commands`,
            hint: analysis.family === 'shell' ? SHELL_HINT : OTHER_HINT,
          },
    );
}

/** Line breaks, NUL, escapes (a tab is fine): they split a log line, a config line or a protocol frame downstream, and no DR value needs them. */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

/**
 * Values that templates filled into an argv list, judged where they land: no control characters,
 * and no leading "-" where the program still reads options (it would become an option).
 */
export function filledArgProblems(written: readonly string[], filled: readonly string[]): ArgvProblem[] {
  if (written.length !== filled.length)
    return [{ index: 0, message: 'the command changed shape while its templates were filled', hint: '' }];
  const { positionalFrom } = analyseArgv(written);
  const problems: ArgvProblem[] = [];
  for (const [index, value] of filled.entries()) {
    const source = written[index] ?? '';
    if (!hasTemplate(source)) continue;
    if (value.includes('\u0000'))
      problems.push({
        index,
        message: `argument ${index} holds a NUL byte`,
        hint: 'remove it from the value',
      });
    else if (hasControlCharacter(value))
      problems.push({
        index,
        message: `argument ${index} holds a line break or control character`,
        hint: 'give the value on one line, without control characters',
      });
    if (index < positionalFrom && value.startsWith('-') && !source.startsWith('-'))
      problems.push({
        index,
        message: `argument ${index} starts with "-" (${JSON.stringify(value.slice(0, 40))}) and would be read as an option`,
        hint: 'write the option and the value as one argument (--flag={{ … }}), or put a literal "--" before it',
      });
  }
  return problems;
}

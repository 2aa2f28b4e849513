/** One thing lint has to say about a file, pointing at the line a person must change. */
export type Severity = 'error' | 'warning';
export type YamlPath = readonly (string | number)[];

export type Finding = {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: Severity;
  readonly message: string;
  readonly hint?: string;
};

/** A finding before it has a position: semantic rules speak in document paths. */
export type PathFinding = {
  readonly file: string;
  readonly path: YamlPath;
  readonly severity: Severity;
  readonly message: string;
  readonly hint?: string;
  /** Point at the key itself rather than its value (unknown keys, duplicates). */
  readonly atKey?: boolean;
};

export function formatFinding(finding: Finding): string {
  const hint = finding.hint ? `\n    hint: ${finding.hint}` : '';
  return `${finding.file}:${finding.line}:${finding.col}  ${finding.severity}  ${finding.message}${hint}`;
}

export function byPosition(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col;
}

/** The closest of `choices` to a misspelt `word`, for "did you mean …" hints. */
export function closest(word: string, choices: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const choice of choices) {
    const distance = editDistance(word.toLowerCase(), choice.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [choice, distance];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

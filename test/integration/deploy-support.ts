import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

/** A rendered Kubernetes object, as plain JSON. */
export type KubeObject = {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [field: string]: unknown;
};

// ---- kustomize ----------------------------------------------------------------------------------

/** One way to render a kustomization, exactly as a user types it: no flags, so the default load restrictor. */
export type Renderer = { readonly tool: string; render(dir: string): string };

/** Where `bash .ci/run` unpacks sid's kubectl and kustomize when LIFEBOAT_KUBECTL / LIFEBOAT_KUSTOMIZE are unset. */
const KUBE_TOOLS = path.join(os.homedir(), '.local/lifeboat-kube-tools/usr/bin');

function tool(variable: 'LIFEBOAT_KUBECTL' | 'LIFEBOAT_KUSTOMIZE', name: string): string {
  const file = process.env[variable] || path.join(KUBE_TOOLS, name);
  try {
    execFileSync(file, ['version', ...(name === 'kubectl' ? ['--client'] : [])], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `no ${name} at ${file} (${variable}): run bash .ci/run, which unpacks Debian's kubectl and kustomize there`,
    );
  }
  return file;
}

/**
 * Debian's kubectl and kustomize (sid's, unpacked by .ci/run), never whatever kubectl a machine
 * image has: `kubectl kustomize DIR` is what `kubectl apply -k DIR` renders, `kustomize build DIR`
 * what Argo CD and Flux run, both with kustomize's default load restrictor.
 */
export function kustomizeTools(): readonly Renderer[] {
  const kubectl = tool('LIFEBOAT_KUBECTL', 'kubectl');
  const kustomize = tool('LIFEBOAT_KUSTOMIZE', 'kustomize');
  const render = (program: string, args: readonly string[]) => (dir: string) =>
    execFileSync(program, [...args, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return [
    { tool: 'kubectl kustomize', render: render(kubectl, ['kustomize']) },
    { tool: 'kustomize build', render: render(kustomize, ['build']) },
  ];
}

export function parseObjects(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

// ---- Dockerfile ---------------------------------------------------------------------------------

export type Instruction = { readonly keyword: string; readonly args: string };
export type Stage = { readonly image: string; readonly name?: string; readonly instructions: Instruction[] };
export type Dockerfile = { readonly args: ReadonlyMap<string, string>; readonly stages: readonly Stage[] };

/** Logical lines: comments dropped, `\` continuations joined (comment lines inside them too). */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    const continued = line.endsWith('\\');
    pending += `${continued ? line.slice(0, -1) : line} `;
    if (continued) continue;
    lines.push(pending.trim());
    pending = '';
  }
  return lines;
}

const expand = (text: string, args: ReadonlyMap<string, string>): string =>
  text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a?: string, b?: string) => args.get(a ?? b ?? '') ?? whole);

/** Enough of Dockerfile syntax for our checks: stages, instructions, global ARG defaults in FROM. */
export function parseDockerfile(text: string): Dockerfile {
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of logicalLines(text)) {
    const [word = '', ...rest] = line.split(/\s+/);
    const keyword = word.toUpperCase();
    const argText = rest.join(' ');
    const stage = stages.at(-1);
    if (keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(argText);
      if (!from?.[1]) throw new Error(`cannot read FROM ${argText}`);
      const name = from[2];
      stages.push({ image: expand(from[1], args), ...(name ? { name } : {}), instructions: [] });
    } else if (!stage && keyword === 'ARG') {
      const [key = '', value = ''] = argText.split('=');
      args.set(key, value);
    } else if (stage) stage.instructions.push({ keyword, args: argText });
  }
  return { args, stages };
}

/** `["node", "x"]` → the argv; anything else is shell form, which we refuse where it matters. */
export function execForm(args: string): string[] | undefined {
  if (!args.trim().startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
}

/** `KEY=value KEY2="a b"` (ENV, LABEL) → pairs. */
export function keyValues(args: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const match of args.matchAll(/([\w.-]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
    const [, key = '', value = ''] = match;
    pairs.set(key, value.startsWith('"') ? (JSON.parse(value) as string) : value);
  }
  return pairs;
}

// ---- .dockerignore ------------------------------------------------------------------------------

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split(/(\*\*\/?|\*|\?)/)
    .map((part) => {
      if (part === '**/') return '(?:.*/)?';
      if (part === '**') return '.*';
      if (part === '*') return '[^/]*';
      if (part === '?') return '[^/]';
      return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${body}$`);
}

/** Docker's rule: the last matching line wins, `!` re-includes, a pattern also matches a folder's contents. */
export function dockerIgnores(ignoreFile: string): (file: string) => boolean {
  const rules = ignoreFile
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const pattern = path.posix.normalize(include ? line.slice(1) : line).replace(/^\/+/, '');
      return { include, pattern: globToRegExp(pattern) };
    });
  return (file) => {
    const parents = file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of rules) if (parents.some((p) => rule.pattern.test(p))) ignored = !rule.include;
    return ignored;
  };
}

// ---- RBAC attributes of a request, as the API server's RequestInfo resolver derives them ---------

export type RequestAttributes =
  | { readonly kind: 'resource'; group: string; resource: string; verb: string; namespace?: string }
  | { readonly kind: 'url'; url: string; verb: string };

const VERBS: Readonly<Record<string, string>> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** `GET /apis/apps/v1/namespaces/a/deployments/b/scale` → apps, deployments/scale, get, namespace a. */
export function requestAttributes(line: string): RequestAttributes {
  const [method = 'GET', target = '/'] = line.split(' ');
  const url = new URL(target, 'https://api');
  const parts = url.pathname.split('/').filter(Boolean);
  const prefix = parts[0] === 'api' ? 2 : parts[0] === 'apis' ? 3 : 0;
  if (prefix === 0) return { kind: 'url', url: url.pathname, verb: method.toLowerCase() };
  const group = prefix === 2 ? '' : (parts[1] ?? '');
  let rest = parts.slice(prefix);
  let namespace: string | undefined;
  // `/namespaces/x` is the Namespace x itself; `/namespaces/x/pods` are pods in namespace x.
  if (rest[0] === 'namespaces' && rest.length > 2) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource = '', name, subresource] = rest;
  let verb = VERBS[method] ?? method.toLowerCase();
  if (verb === 'get' && name === undefined) verb = 'list';
  if (verb === 'delete' && name === undefined) verb = 'deletecollection';
  if (url.searchParams.get('watch') === 'true' && (verb === 'list' || verb === 'get')) verb = 'watch';
  return {
    kind: 'resource',
    group,
    resource: subresource ? `${resource}/${subresource}` : resource,
    verb,
    ...(namespace === undefined ? {} : { namespace }),
  };
}

// ---- unknown fields -----------------------------------------------------------------------------

/** The TypeScript interface of an object's model: `kubernetes-models/apps/v1/Deployment`, `IDeployment`. */
export type TypedModel = { readonly module: string; readonly type: string };

function compile(file: string, source: string): readonly ts.Diagnostic[] {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  // The rendered objects as one in-memory file; everything else comes from disk as usual.
  const disk = ts.createCompilerHost(options);
  const host: ts.CompilerHost = {
    ...disk,
    getSourceFile: (name, language, ...rest) =>
      name === file
        ? ts.createSourceFile(name, source, language)
        : disk.getSourceFile(name, language, ...rest),
    fileExists: (name) => name === file || disk.fileExists(name),
    readFile: (name) => (name === file ? source : disk.readFile(name)),
  };
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file));
}

/**
 * Fields the models do not know (a misspelt `readOnlyRootFilesytem` is silently ignored by the API
 * server's older clients and by the models' JSON schemas, which allow extra properties): each
 * object becomes a typed literal, and TypeScript's excess-property check names every unknown field.
 */
export function unknownFields(
  objects: ReadonlyArray<{ readonly object: KubeObject; readonly model: TypedModel; readonly label: string }>,
  dir: string,
): string[] {
  const modules = [...new Set(objects.map(({ model }) => `${model.module}#${model.type}`))];
  const imports = modules.map((key, i) => {
    const [module, type] = key.split('#');
    return `import type { ${type} as T${i} } from '${module}';`;
  });
  const consts = objects.map(({ object, model }, i) => {
    const type = modules.indexOf(`${model.module}#${model.type}`);
    return `export const object${i}: T${type} = ${JSON.stringify(object)};`;
  });
  const source = [...imports, ...consts].join('\n');
  const file = path.join(dir, '__rendered_manifests__.ts');
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.ES2023);
  return compile(file, source).map((diagnostic) => {
    const line = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line - imports.length;
    const where = objects[line]?.label ?? 'import';
    return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}

/**
 * Whether a field, variable or flag name holds a secret: split into words (snake, kebab, dotted,
 * camelCase), so `DB_PASS` and `SecretAccessKey` are secret and `bypass`, `keyspace` or etcd's
 * `key` are not; names of references (`secretName`, `tokenFile`, `token_type`) are not secrets.
 */

const SECRET_WORDS: ReadonlySet<string> = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'passphrase',
  'passcode',
  'secret',
  'secrets',
  'token',
  'tokens',
  'apikey',
  'auth',
  'credential',
  'credentials',
  'creds',
  'signature',
  'sig',
  'privatekey',
]);

/** `key` is a secret only after one of these (`tls.key`, `private_key`, `api-key`, `client-key-data`). */
const KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'tls',
  'private',
  'api',
  'access',
  'secret',
  'client',
  'signing',
  'encryption',
  'master',
  'account',
  'ssh',
  'service',
  'session',
]);

/** `data` of a kubeconfig's client key and certificate (the certificate is public; hiding it costs nothing). */
const DATA_QUALIFIERS: ReadonlySet<string> = new Set(['key', 'certificate']);

/** A last word that makes the name point at a secret rather than hold one. */
const REFERENCE_WORDS: ReadonlySet<string> = new Set([
  'name',
  'names',
  'ref',
  'refs',
  'namespace',
  'file',
  'files',
  'path',
  'dir',
  'id',
  'ids',
  'type',
  'kind',
  'arn',
  'expiry',
  'expiration',
  'expires',
  'ttl',
  'length',
  'count',
  'version',
  'url',
  'uri',
  'endpoint',
  'method',
  'mode',
  'provider',
  'policy',
  'rotation',
  'age',
  'duration',
  'seconds',
  'timeout',
  'lifetime',
  'renewable',
  'policies',
  'audience',
  'audiences',
  'issuer',
  'usages',
  'format',
  'algorithm',
  'size',
  'stdin',
]);

export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** Every secret name holds one of these; most names in output hold none, and skip the split. */
const HINT = /pas|pwd|secret|token|key|auth|cred|sig|data/i;
/** Names repeat through an output (every `name:` of a YAML list); bounded so hostile output cannot grow it. */
const known = new Map<string, boolean>();
const KNOWN_MAX = 4096;

export function isSecretName(name: string): boolean {
  if (!HINT.test(name)) return false;
  const cached = known.get(name);
  if (cached !== undefined) return cached;
  if (known.size >= KNOWN_MAX) known.clear();
  const secret = holdsSecret(name);
  known.set(name, secret);
  return secret;
}

function holdsSecret(name: string): boolean {
  const parts = words(name);
  const last = parts[parts.length - 1];
  if (last === undefined || REFERENCE_WORDS.has(last)) return false;
  return parts.some(
    (word, index) =>
      SECRET_WORDS.has(word) ||
      (word === 'key' && index > 0 && KEY_QUALIFIERS.has(parts[index - 1] as string)) ||
      (word === 'data' && index > 0 && DATA_QUALIFIERS.has(parts[index - 1] as string)),
  );
}

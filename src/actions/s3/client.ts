import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Settings } from '../../domain/config.js';
import type { ActionContext } from '../../engine/action-port.js';

export type S3Credentials = NonNullable<S3ClientConfig['credentials']>;

/** The SDK's own region lookup (AWS_REGION, the profile), else us-east-1 rather than "Region is missing". */
async function defaultRegion(): Promise<string> {
  const probe = new S3Client({});
  try {
    return await probe.config.region();
  } catch {
    return 'us-east-1';
  } finally {
    probe.destroy();
  }
}

/**
 * An S3 client for AWS or any S3-compatible store. Credentials come from the SDK's usual chain
 * (environment, profile, IAM role) unless given; tests give them.
 */
export function s3Client(settings: S3Settings, credentials?: S3Credentials): S3Client {
  let region: Promise<string> | undefined;
  return new S3Client({
    region: settings.region ?? (() => (region ??= defaultRegion())),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.forcePathStyle !== undefined ? { forcePathStyle: settings.forcePathStyle } : {}),
    // Many S3-compatible stores mishandle the SDK's default checksums; WHEN_REQUIRED turns them off.
    ...(settings.checksums
      ? { requestChecksumCalculation: settings.checksums, responseChecksumValidation: settings.checksums }
      : {}),
    ...(credentials ? { credentials } : {}),
  });
}

/** The step's cancel signal and its timeout in one, for every S3 request of an action. */
export function deadline(context: Pick<ActionContext, 'signal' | 'timeoutMs'>): AbortSignal {
  return AbortSignal.any([context.signal, AbortSignal.timeout(context.timeoutMs)]);
}

type SdkError = {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  errors?: readonly SdkError[];
  cause?: SdkError;
};
const NETWORK = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const DENIED = new Set([
  'AccessDenied',
  'Forbidden',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
]);

/** The SDK's retry layer may hand back a socket error only as text ("… connect ECONNREFUSED …"). */
function isNetwork(error: SdkError | undefined): boolean {
  if (!error) return false;
  const words = new Set([error.code ?? '', ...(error.message ?? '').split(/[\s:]+/)]);
  return (
    [...NETWORK].some((code) => words.has(code)) ||
    (error.errors ?? []).some(isNetwork) ||
    isNetwork(error.cause)
  );
}

/** What went wrong, in words a responder can act on; never the credentials themselves. */
export function s3Failure(
  error: unknown,
  settings: S3Settings,
  context: Pick<ActionContext, 'signal' | 'timeoutMs'>,
  bucket: string,
  key?: string,
): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  const where = `s3://${bucket}${key === undefined ? '' : `/${key}`}`;
  const name = e.name ?? '';
  if (context.signal.aborted) return `the S3 request for ${where} was stopped`;
  if (name === 'AbortError' || name === 'TimeoutError')
    return `the S3 request for ${where} did not finish within ${Math.round(context.timeoutMs / 1000)}s`;
  if (name === 'NoSuchBucket') return `bucket ${bucket} does not exist`;
  if (name === 'NoSuchKey') return `${where} does not exist`;
  if (DENIED.has(name) || e.$metadata?.httpStatusCode === 403)
    return `access denied to ${where}: check the credentials`;
  if (name === 'CredentialsProviderError')
    return 'no S3 credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or give Lifeboat an IAM role';
  if (isNetwork(e)) return `cannot reach S3 at ${settings.endpoint ?? 'the AWS endpoint of its region'}`;
  return `S3 request for ${where} failed: ${name || 'error'}: ${e.message ?? String(error)}`;
}

/** What every S3 action shares; `pageSize` exists so that tests can force several listing pages. */
export type S3Deps = { readonly client: S3Client; readonly settings: S3Settings; readonly pageSize?: number };

/** ETags come quoted on the wire; the quotes only get in the way of comparing and posting them. */
export function plainEtag(etag: string | undefined): string | undefined {
  return etag?.replace(/^"|"$/g, '');
}

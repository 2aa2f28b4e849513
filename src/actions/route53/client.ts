import { Route53Client, type Route53ClientConfig } from '@aws-sdk/client-route-53';
import type { Route53Settings } from '../../domain/config.js';

export type Route53Credentials = NonNullable<Route53ClientConfig['credentials']>;

/** A Route 53 client; credentials from the SDK's chain (environment, profile, IAM role) unless given (tests). */
export function route53Client(settings: Route53Settings, credentials?: Route53Credentials): Route53Client {
  return new Route53Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  });
}

type SdkError = { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };

/** What went wrong, in words a responder can act on; never the credentials. */
export function route53Failure(error: unknown, settings: Route53Settings, what: string): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  const name = e.name ?? '';
  if (name === 'AbortError' || name === 'TimeoutError')
    return `Route 53 did not answer in time while ${what}`;
  if (name === 'NoSuchHostedZone')
    return `${e.message ?? 'no such hosted zone'}: check the zone id (Route 53 console, or aws route53 list-hosted-zones)`;
  if (name === 'InvalidChangeBatch') return `Route 53 refused the change while ${what}: ${e.message ?? ''}`;
  if (name === 'CredentialsProviderError')
    return 'no AWS credentials found for Route 53: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or give Lifeboat an IAM role';
  if (e.$metadata?.httpStatusCode === 403 || /AccessDenied|Forbidden|Token/.test(name))
    return `Route 53 refused the credentials while ${what} (${name}): the role needs route53:ChangeResourceRecordSets, GetChange and ListResourceRecordSets`;
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT/.test(`${name} ${e.message ?? ''}`))
    return `cannot reach Route 53 at ${settings.endpoint ?? 'route53.amazonaws.com'} while ${what}`;
  return `Route 53 failed while ${what}: ${name || 'error'}: ${e.message ?? String(error)}`;
}

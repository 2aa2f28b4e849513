import type { S3Settings } from '../../domain/config.js';
import { byName, type ImplementedAction } from '../registry.js';
import { s3Client, type S3Credentials } from './client.js';
import { download } from './download.js';
import { head } from './head.js';
import { latestObject } from './latest-object.js';
import { upload } from './upload.js';

export type S3Options = {
  /** Instead of the SDK's credential chain (environment, profile, IAM role); tests use it. */
  readonly credentials?: S3Credentials;
  /** Keys per listing page (S3's default is 1000); small values exercise pagination in tests. */
  readonly pageSize?: number;
};

/** The S3 actions by their contracts' names, sharing one client. */
export function s3Actions(settings: S3Settings, options: S3Options = {}): Record<string, ImplementedAction> {
  const deps = {
    client: s3Client(settings, options.credentials),
    settings,
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  };
  return byName([latestObject(deps), head(deps), download(deps), upload(deps)]);
}

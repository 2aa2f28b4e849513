import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startS3, type LocalS3 } from './s3.js';

/**
 * s3rver 3.7 answers NotImplemented to the bucket subresources ?versioning, ?lifecycle and
 * ?replication (node_modules/s3rver/lib/routes.js). This front serves exactly those, as S3 does,
 * and hands every other request to s3rver unchanged (its signature checks included):
 * - GetBucketVersioning: an empty <VersioningConfiguration/> for a bucket that never had versioning,
 *   else its Status (docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html).
 * - GetBucketLifecycleConfiguration: the rules put, or 404 NoSuchLifecycleConfiguration "The
 *   lifecycle configuration does not exist" (API_GetBucketLifecycleConfiguration.html).
 * - GetBucketReplication: the configuration put, or 404 ReplicationConfigurationNotFoundError "The
 *   replication configuration was not found" (API_GetBucketReplication.html).
 * The PUT bodies are the SDK's own serialization of the real request shapes, and S3 answers GET with
 * the same document, so they are stored and given back as sent. Signatures are not checked here.
 */

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const SUBRESOURCES = ['versioning', 'lifecycle', 'replication'] as const;
type Subresource = (typeof SUBRESOURCES)[number];

export type S3WithBucketSettings = LocalS3 & {
  /** What the front last stored, per bucket and subresource (for a test's own setup checks). */
  readonly stored: Map<string, string>;
};

function xmlError(res: http.ServerResponse, status: number, code: string, message: string, bucket: string) {
  res
    .writeHead(status, { 'content-type': 'application/xml' })
    .end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><BucketName>${bucket}</BucketName><RequestId>lifeboat-test</RequestId></Error>`,
    );
}

function answer(
  stored: Map<string, string>,
  which: Subresource,
  bucket: string,
  req: http.IncomingMessage,
  body: string,
  res: http.ServerResponse,
): void {
  const slot = `${bucket}?${which}`;
  if (req.method === 'PUT') {
    if (which === 'versioning') {
      const status = /<Status>(Enabled|Suspended)<\/Status>/.exec(body)?.[1];
      if (!status)
        return xmlError(res, 400, 'MalformedXML', 'The XML you provided was not well-formed', bucket);
      stored.set(slot, status);
    } else stored.set(slot, body);
    res.writeHead(200).end();
    return;
  }
  if (req.method === 'DELETE') {
    stored.delete(slot);
    res.writeHead(204).end();
    return;
  }
  const value = stored.get(slot);
  if (which === 'versioning') {
    res
      .writeHead(200, { 'content-type': 'application/xml' })
      .end(
        value
          ? `<?xml version="1.0" encoding="UTF-8"?>\n<VersioningConfiguration xmlns="${XMLNS}"><Status>${value}</Status></VersioningConfiguration>`
          : `<?xml version="1.0" encoding="UTF-8"?>\n<VersioningConfiguration xmlns="${XMLNS}"/>`,
      );
    return;
  }
  if (value) {
    res.writeHead(200, { 'content-type': 'application/xml' }).end(value);
    return;
  }
  if (which === 'lifecycle')
    xmlError(res, 404, 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', bucket);
  else
    xmlError(
      res,
      404,
      'ReplicationConfigurationNotFoundError',
      'The replication configuration was not found',
      bucket,
    );
}

/** Every bucket operation answers NoSuchBucket for a bucket that does not exist; s3rver knows which do (anonymous HEAD). */
function bucketExists(target: URL, bucket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const head = http.request(
      { host: target.hostname, port: target.port, method: 'HEAD', path: `/${encodeURIComponent(bucket)}` },
      (answer) => {
        answer.resume();
        resolve(answer.statusCode !== 404);
      },
    );
    head.on('error', () => resolve(false));
    head.end();
  });
}

/** s3rver with one bucket, behind a loopback front that adds the three bucket settings. */
export async function startS3WithBucketSettings(bucket?: string): Promise<S3WithBucketSettings> {
  const s3 = await startS3(bucket);
  const target = new URL(s3.settings.endpoint ?? '');
  const stored = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://front');
    const bucketOnly = /^\/([^/]+)\/?$/.exec(url.pathname)?.[1];
    const which = SUBRESOURCES.find((name) => url.searchParams.has(name));
    if (bucketOnly && which) {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void bucketExists(target, bucketOnly).then((exists) =>
          exists
            ? answer(stored, which, bucketOnly, req, Buffer.concat(chunks).toString(), res)
            : xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', bucketOnly),
        );
      });
      return;
    }
    const forward = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...s3,
    stored,
    settings: { ...s3.settings, endpoint: `http://127.0.0.1:${port}` },
    stop: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await s3.stop();
    },
  };
}

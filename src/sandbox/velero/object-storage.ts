import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/**
 * What Velero keeps in its bucket next to each backup and restore, and the pre-signed URLs a
 * DownloadRequest hands out. Every file is served gzip-compressed, as the CLI reads them
 * (pkg/cmd/util/downloadrequest/downloadrequest.go wraps every body but BackupContents in a gzip
 * reader). Kinds and their JSON shapes: pkg/apis/velero/v1/download_request_types.go;
 * BackupResourceList = map "group/version/Kind" → ["ns/name"] (pkg/backup/request.go);
 * BackupVolumeInfos = [BackupVolumeInfo] (internal/volume/volumes_information.go);
 * RestoreResults = {errors, warnings} of results.Result (pkg/util/results/result.go);
 * RestoreResourceList = map "group/version/Kind" → ["ns/name(created|updated|skipped|failed)"] (pkg/restore/request.go).
 */

export type DownloadKind =
  | 'BackupResourceList'
  | 'BackupVolumeInfos'
  | 'BackupResults'
  | 'RestoreResults'
  | 'RestoreResourceList'
  | 'RestoreLog';

export type ResultMessages = {
  velero?: string[];
  cluster?: string[];
  namespaces?: Record<string, string[]>;
};
export type RestoreResults = { errors: ResultMessages; warnings: ResultMessages };

/** One PVC's entry in BackupVolumeInfos, the fields Lifeboat reads plus the ones Velero always writes. */
export type BackupVolumeInfo = {
  pvcName: string;
  pvcNamespace: string;
  pvName: string;
  backupMethod?: 'NativeSnapshot' | 'PodVolumeBackup' | 'CSISnapshot';
  snapshotDataMoved: boolean;
  preserveLocalSnapshot: boolean;
  skipped: boolean;
  skippedReason?: string;
  result?: 'succeeded' | 'failed';
  [more: string]: unknown;
};

/** Messages counted as Velero counts them into status.warnings / status.errors. */
export const countMessages = (result: ResultMessages | undefined): number =>
  (result?.velero?.length ?? 0) +
  (result?.cluster?.length ?? 0) +
  Object.values(result?.namespaces ?? {}).reduce((sum, list) => sum + list.length, 0);

export class ObjectStorage {
  private readonly files = new Map<string, unknown>();
  private readonly urls = new Map<string, string>();
  private server: http.Server | undefined;
  private port = 0;
  readonly downloads: string[] = [];

  put(kind: DownloadKind, name: string, content: unknown): void {
    this.files.set(`${kind}/${name}`, content);
  }

  get(kind: DownloadKind, name: string): unknown {
    return this.files.get(`${kind}/${name}`);
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      const key = this.urls.get(new URL(req.url ?? '/', 'http://storage').pathname);
      const content = key === undefined ? undefined : this.files.get(key);
      if (key === undefined || content === undefined)
        // What S3 answers for a missing key; the CLI turns a 404 into ErrNotFound.
        return void res
          .writeHead(404, { 'content-type': 'application/xml' })
          .end('<Error><Code>NoSuchKey</Code></Error>');
      this.downloads.push(key);
      res
        .writeHead(200, { 'content-type': 'application/octet-stream' })
        .end(gzipSync(JSON.stringify(content)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** A short-lived URL for one file, like a pre-signed S3 GET (the token stands in for the signature). */
  signedUrl(kind: string, name: string): string {
    const pathname = `/velero-backups/${randomBytes(12).toString('hex')}`;
    this.urls.set(pathname, `${kind}/${name}`);
    return `http://127.0.0.1:${this.port}${pathname}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

import { CustomObjectsApi } from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { z } from 'zod';
import { errorMessage } from '../../errors.js';
import { KubeError } from '../k8s/errors.js';
import type { Kube } from '../k8s/kube-action.js';
import { DOWNLOAD_REQUESTS, getVelero } from './objects.js';

const unzip = promisify(gunzip);

/** The files Lifeboat reads from Velero's bucket (pkg/apis/velero/v1/download_request_types.go). */
export const DOWNLOAD_KINDS = [
  'BackupResourceList',
  'BackupVolumeInfos',
  'RestoreResults',
  'RestoreResourceList',
] as const;
export type DownloadKind = (typeof DOWNLOAD_KINDS)[number];

const DownloadRequest = z.looseObject({
  metadata: z.looseObject({ name: z.string() }),
  status: z.looseObject({ phase: z.string().optional(), downloadURL: z.string().optional() }).optional(),
});

const WAIT_MS = 30_000;
const FETCH_TIMEOUT_MS = 60_000;

/** A file Velero has not got (an old backup, a restore that never ran) is `undefined`, not an error. */
export type Downloaded = unknown;

/**
 * What `velero … describe --details` does: create a DownloadRequest for the file, wait for the
 * controller to mark it Processed with a pre-signed URL, GET it and gunzip it
 * (pkg/cmd/util/downloadrequest/downloadrequest.go). The request is named `<target>-<uuid>`, as there.
 */
export async function download(
  kube: Kube,
  namespace: string,
  kind: DownloadKind,
  target: string,
  signal: AbortSignal,
): Promise<Downloaded> {
  const name = `${target.slice(0, 200)}-${randomUUID()}`;
  const body = {
    apiVersion: 'velero.io/v1',
    kind: 'DownloadRequest',
    metadata: { name, namespace },
    spec: { target: { kind, name: target } },
  };
  await kube.call({ verb: 'create', resource: DOWNLOAD_REQUESTS, namespace, name }, (options) =>
    kube
      .api(CustomObjectsApi)
      .createNamespacedCustomObject(
        { group: 'velero.io', version: 'v1', namespace, plural: 'downloadrequests', body },
        options,
      ),
  );
  const until = Date.now() + WAIT_MS;
  for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
    const request = await getVelero(kube, DOWNLOAD_REQUESTS, namespace, name, DownloadRequest);
    const url = request.status?.downloadURL;
    if (request.status?.phase === 'Processed' && url) return fetchFile(url, kind, target, signal);
    if (Date.now() > until)
      throw new KubeError(
        `Velero did not answer the DownloadRequest for ${kind} of ${target} within ${WAIT_MS / 1000}s; is the Velero server running?`,
        true,
      );
    if (signal.aborted) throw new KubeError(`stopped while waiting for ${kind} of ${target}`, false);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

async function fetchFile(
  url: string,
  kind: DownloadKind,
  target: string,
  signal: AbortSignal,
): Promise<Downloaded> {
  const where = `${kind} of ${target}`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]) });
  } catch (error) {
    throw new KubeError(
      `cannot download ${where} from Velero's backup storage: ${errorMessage(error)}`,
      true,
    );
  }
  // Velero's CLI treats 404 as "not found" (ErrNotFound): older backups lack newer files.
  if (response.status === 404) return undefined;
  if (!response.ok)
    throw new KubeError(`backup storage answered ${response.status} for ${where}`, response.status >= 500);
  try {
    const text = (await unzip(Buffer.from(await response.arrayBuffer()))).toString('utf8');
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new KubeError(`${where} is not gzip JSON as Velero writes it: ${errorMessage(error)}`, false);
  }
}

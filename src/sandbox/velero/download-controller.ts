import type { ClusterState } from '../k8s/store.js';
import type { ObjectStorage } from './object-storage.js';

/**
 * DownloadRequests: the controller sets phase Processed, a pre-signed downloadURL and an expiration
 * ten minutes out (pkg/controller/download_request_controller.go, persistence.DownloadURLTTL).
 */
export function answerDownloads(state: ClusterState, storage: ObjectStorage): void {
  for (const request of state.objects.downloadrequests) {
    if (request.status?.phase === 'Processed') continue;
    const target = (request.spec?.target ?? {}) as { kind?: string; name?: string };
    state.update('downloadrequests', request.metadata.namespace, request.metadata.name, (object) => {
      object.status = {
        phase: 'Processed',
        downloadURL: storage.signedUrl(String(target.kind), String(target.name)),
        expiration: new Date(Date.now() + 10 * 60_000).toISOString(),
      };
    });
  }
}

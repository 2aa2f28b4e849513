import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { kubernetesActions } from '../../src/actions/k8s/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { backup, deployment, node, storageLocation } from '../../src/sandbox/k8s/objects.js';
import { actionRunner } from '../support/k8s/run-action.js';

/**
 * 429 and 5xx are asked again as client-go does (rest/request.go checkWait, rest/with_retry.go):
 * after Retry-After, at most 10 attempts, for reads and idempotent writes; never a create after a 5xx.
 */

let api: K8sEmulator;
beforeAll(async () => {
  api = await K8sEmulator.create();
  api.seed('nodes', node('cp-1'));
  api.seed('backups', backup('shop-only', { included: ['shop'] }));
  // Velero refuses a restore whose backup's storage location is not Available.
  api.seed('backupstoragelocations', storageLocation('default', 'Available', 0.5));
});
afterAll(() => api.close());
afterEach(() => api.heal());

const run = actionRunner(createRegistry(kubernetesActions((target) => api.kubeConfig(target))), {
  primary: { context: 'prod-eu' },
});
const count = (request: string) => api.requests.filter((r) => r.startsWith(request)).length;

describe('reads', () => {
  it('waits as long as Retry-After asks, says so, and then succeeds', async () => {
    api.seed('deployments', deployment('busy-ns', 'web'));
    api.fail({
      method: 'GET',
      path: '/namespaces/busy-ns/deployments',
      status: 429,
      message: 'Too many requests, please try again later.',
      retryAfterSeconds: 1,
      times: 1,
    });
    const started = Date.now();
    const outcome = await run('k8s.workloads-ready', { cluster: 'primary', namespace: 'busy-ns' });
    expect(outcome).toMatchObject({ passed: true, result: { ready: true } });
    expect(outcome.progress).toEqual([
      'list deployments.apps: API server asked to retry after 1 s (429), attempt 2 of 10',
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('gives up after 10 attempts, saying how often it asked', async () => {
    const before = count('GET /api/v1/nodes');
    api.fail({
      method: 'GET',
      path: '/api/v1/nodes',
      status: 503,
      retryAfterSeconds: 0,
      message: 'apiserver is shutting down',
    });
    const outcome = await run('k8s.nodes-ready', { cluster: 'primary' });
    expect(outcome).toMatchObject({
      passed: false,
      error:
        'Kubernetes API error (503 ServiceUnavailable) to list nodes: apiserver is shutting down (asked 10 times)',
    });
    expect(count('GET /api/v1/nodes') - before).toBe(10);
    expect(outcome.progress.at(-1)).toBe(
      'list nodes: API server asked to retry after 0 s (503), attempt 10 of 10',
    );
  });

  it('does not wait past its step: a Retry-After beyond the timeout fails at once', async () => {
    api.fail({ method: 'GET', path: '/api/v1/nodes', status: 429, retryAfterSeconds: 120, times: 1 });
    const outcome = await run('k8s.nodes-ready', { cluster: 'primary' }, { timeout: '30s' });
    expect(outcome.progress).toEqual([]);
    expect(outcome).toMatchObject({
      passed: false,
      error:
        "Kubernetes API error (429 TooManyRequests) to list nodes: injected 429 (asked 1 time; the next try in 120 s would be past the step's timeout)",
    });
  });

  it('waits at most 60 s in all for one request, however long the step may take', async () => {
    api.fail({ method: 'GET', path: '/api/v1/nodes', status: 429, retryAfterSeconds: 61, times: 1 });
    expect((await run('k8s.nodes-ready', { cluster: 'primary' }, { timeout: '10m' })).error).toBe(
      'Kubernetes API error (429 TooManyRequests) to list nodes: injected 429 (asked 1 time; the next try in 61 s would pass the 60 s one request may wait in all)',
    );
  });

  it('does not ask again after a 4xx other than 429', async () => {
    const before = count('GET /api/v1/nodes');
    api.fail({ method: 'GET', path: '/api/v1/nodes', status: 422, message: 'bad', times: 3 });
    expect((await run('k8s.nodes-ready', { cluster: 'primary' })).error).toBe(
      'Kubernetes API error (422 Invalid) to list nodes: bad',
    );
    expect(count('GET /api/v1/nodes') - before).toBe(1);
  });
});

describe('writes', () => {
  it('repeats a scale to a fixed count (the same whenever it lands) through 503s', async () => {
    api.seed('deployments', deployment('retry-ns', 'web', { replicas: 0 }));
    api.fail({
      method: 'PATCH',
      path: '/retry-ns/deployments/web/scale',
      status: 503,
      retryAfterSeconds: 0,
      times: 2,
    });
    const outcome = await run('k8s.scale', {
      cluster: 'primary',
      namespace: 'retry-ns',
      name: 'web',
      replicas: 3,
    });
    expect(outcome).toMatchObject({ passed: true, result: { scaled: ['web'] } });
    expect(outcome.progress).toEqual([
      'patch deployments.apps/scale: API server asked to retry after 0 s (503), attempt 2 of 10',
      'patch deployments.apps/scale: API server asked to retry after 0 s (503), attempt 3 of 10',
    ]);
    expect(api.state.find('deployments', 'retry-ns', 'web')?.spec?.replicas).toBe(3);
  });

  it('never repeats a create after a 5xx, and says it may have happened', async () => {
    const before = count('POST /apis/velero.io/v1/namespaces/velero/restores');
    api.fail({
      method: 'POST',
      path: '/restores',
      status: 504,
      message: 'Timeout: request did not complete within 60s',
      retryAfterSeconds: 0,
    });
    const outcome = await run('velero.restore', { cluster: 'primary', backup: 'shop-only' });
    expect(outcome).toMatchObject({
      passed: false,
      error: expect.stringMatching(
        /^Kubernetes API error \(504 Timeout\) to create restores\.velero\.io: Timeout: request did not complete within 60s; the create may have happened anyway: check with kubectl get restores\.velero\.io lifeboat-\S+ -n velero before running the step again$/,
      ),
    });
    expect(count('POST /apis/velero.io/v1/namespaces/velero/restores') - before).toBe(1);
  });

  it('repeats a create refused with 429 (rejected before it was handled), then follows it', async () => {
    api.fail({ method: 'POST', path: '/restores', status: 429, retryAfterSeconds: 0, times: 1 });
    // Following the restore honours Retry-After on its reads too.
    api.fail({ method: 'GET', path: /restores\/lifeboat-/, status: 429, retryAfterSeconds: 1, times: 1 });
    const outcome = await run('velero.restore', { cluster: 'primary', backup: 'shop-only' });
    expect(outcome).toMatchObject({ passed: true, result: { phase: 'Completed' } });
    expect(outcome.progress).toEqual(
      expect.arrayContaining([
        'create restores.velero.io: API server asked to retry after 0 s (429), attempt 2 of 10',
        'get restores.velero.io: API server asked to retry after 1 s (429), attempt 2 of 10',
      ]),
    );
  });

  it('following a restore, a throttled watch waits as long as the API server asked, not 100 ms', async () => {
    const watches = () =>
      api.requests.filter((r) =>
        /^GET \/apis\/velero\.io\/v1\/namespaces\/velero\/restores\?.*watch=/.test(r),
      ).length;
    const before = watches();
    api.fail({
      method: 'GET',
      path: /\/restores\?(.*&)?watch=true/,
      status: 429,
      retryAfterSeconds: 1,
      times: 4,
    });
    const started = Date.now();
    // A restore of its own (another incident), so nothing earlier is adopted.
    const outcome = await run(
      'velero.restore',
      { cluster: 'primary', backup: 'shop-only' },
      { incidentId: 'INC-THROTTLED' },
    );
    expect(outcome).toMatchObject({ passed: true, result: { phase: 'Completed' } });
    // The first refusal is followed by the second it asked for (the restore is done by then); a 100 ms retry would not wait.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(watches() - before).toBeGreaterThanOrEqual(1);
  });
});

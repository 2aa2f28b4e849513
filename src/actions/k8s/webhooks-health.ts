import {
  AdmissionregistrationV1Api,
  DiscoveryV1Api,
  type AdmissionregistrationV1WebhookClientConfig,
  type V1EndpointSlice,
  type V1MutatingWebhookConfiguration,
  type V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import type { KubeConfigSource } from './clients.js';
import { kubeAction, type Kube } from './kube-action.js';
import { webhooksHealthContract } from './webhooks-health-contract.js';

type Webhook = {
  readonly kind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration';
  readonly configuration: string;
  readonly webhook: string;
  readonly failurePolicy: string;
  readonly clientConfig: AdmissionregistrationV1WebhookClientConfig;
};

type Blocking = {
  readonly kind: Webhook['kind'];
  readonly configuration: string;
  readonly webhook: string;
  readonly service: string;
  readonly why: string;
};

const GROUP = 'admissionregistration.k8s.io';

async function webhooks(kube: Kube): Promise<Webhook[]> {
  const api = kube.api(AdmissionregistrationV1Api);
  const [validating, mutating] = await Promise.all([
    kube.call(
      {
        verb: 'list',
        resource: {
          plural: 'validatingwebhookconfigurations',
          group: GROUP,
          kind: 'ValidatingWebhookConfiguration',
        },
      },
      (options) => api.listValidatingWebhookConfiguration({}, options),
    ),
    kube.call(
      {
        verb: 'list',
        resource: {
          plural: 'mutatingwebhookconfigurations',
          group: GROUP,
          kind: 'MutatingWebhookConfiguration',
        },
      },
      (options) => api.listMutatingWebhookConfiguration({}, options),
    ),
  ]);
  // failurePolicy defaults to Fail in admissionregistration.k8s.io/v1 (API reference, ValidatingWebhook).
  const of = (
    kind: Webhook['kind'],
    items: ReadonlyArray<V1ValidatingWebhookConfiguration | V1MutatingWebhookConfiguration>,
  ): Webhook[] =>
    items.flatMap((configuration) =>
      (configuration.webhooks ?? []).map((webhook) => ({
        kind,
        configuration: configuration.metadata?.name ?? '',
        webhook: webhook.name,
        failurePolicy: webhook.failurePolicy ?? 'Fail',
        clientConfig: webhook.clientConfig,
      })),
    );
  return [
    ...of('ValidatingWebhookConfiguration', validating.items),
    ...of('MutatingWebhookConfiguration', mutating.items),
  ];
}

/**
 * Ready addresses of a Service, from its EndpointSlices (label kubernetes.io/service-name). An
 * endpoint whose `ready` is unset counts as ready, as the EndpointConditions API reference says.
 */
function readyAddresses(slices: readonly V1EndpointSlice[]): number {
  return slices
    .flatMap((slice) => slice.endpoints ?? [])
    .filter((endpoint) => endpoint.conditions?.ready !== false)
    .reduce((sum, endpoint) => sum + endpoint.addresses.length, 0);
}

async function sliceReady(kube: Kube, namespace: string, name: string): Promise<number> {
  const slices = await kube.call(
    {
      verb: 'list',
      resource: { plural: 'endpointslices', group: 'discovery.k8s.io', kind: 'EndpointSlice' },
      namespace,
    },
    (options) =>
      kube
        .api(DiscoveryV1Api)
        .listNamespacedEndpointSlice(
          { namespace, labelSelector: `kubernetes.io/service-name=${name}` },
          options,
        ),
  );
  return readyAddresses(slices.items);
}

/**
 * After a restore the webhook configurations come back from the snapshot before the webhook pods
 * do: one with failurePolicy Fail and no ready backend makes the API server refuse every write it
 * matches (pods, deployments…), so the cluster cannot heal itself.
 */
export const webhooksHealth = (source: KubeConfigSource) =>
  kubeAction(source, webhooksHealthContract, async (_input, kube) => {
    const failing = (await webhooks(kube)).filter((webhook) => webhook.failurePolicy === 'Fail');
    const viaService = failing.filter((webhook) => webhook.clientConfig.service);
    const notChecked = failing
      .filter((webhook) => !webhook.clientConfig.service)
      .map((webhook) => `${webhook.configuration}/${webhook.webhook}`);
    const checks = await Promise.all(
      viaService.map(async (webhook): Promise<Blocking | undefined> => {
        const service = webhook.clientConfig.service;
        if (!service) return undefined;
        const ready = await sliceReady(kube, service.namespace, service.name);
        if (ready > 0) return undefined;
        return {
          kind: webhook.kind,
          configuration: webhook.configuration,
          webhook: webhook.webhook,
          service: `${service.namespace}/${service.name}`,
          why: 'no ready endpoint in its EndpointSlices',
        };
      }),
    );
    const blocking = checks.filter((check): check is Blocking => check !== undefined);
    const result = { ok: blocking.length === 0, blocking, checked: viaService.length, notChecked };
    if (blocking.length === 0) return { completed: true, result };
    const words = blocking.map(
      (b) => `${b.kind} ${b.configuration} webhook ${b.webhook} → Service ${b.service} has no ready endpoint`,
    );
    return {
      completed: true,
      result,
      error: `${words.join('; ')}: writes it matches are refused; bring its pods back, or (two people agreeing) set its failurePolicy to Ignore or delete the configuration until they are`,
    };
  });

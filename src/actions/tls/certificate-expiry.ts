import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls, { type DetailedPeerCertificate } from 'node:tls';
import { durationSeconds } from '../../domain/duration.js';
import { errorMessage } from '../../errors.js';
import { implement } from '../contract.js';
import { certificateExpiryContract } from './certificate-expiry-contract.js';

const CONNECT_TIMEOUT_MS = 5000;

const DAY_MS = 86_400_000;

export type SeenCertificate = {
  readonly subject: string;
  readonly issuer: string;
  readonly notAfter: string;
  readonly daysLeft: number;
};

type SeenEndpoint = { readonly endpoint: string; readonly chain: SeenCertificate[]; readonly error?: string };

/** The served chain, leaf first; a self-signed root points at itself, which ends the walk. */
function chainOf(leaf: DetailedPeerCertificate, now: number): SeenCertificate[] {
  const chain: SeenCertificate[] = [];
  const seen = new Set<string>();
  for (let cert: DetailedPeerCertificate | undefined = leaf; cert?.raw; cert = cert.issuerCertificate) {
    const fingerprint = cert.fingerprint256;
    if (seen.has(fingerprint)) break;
    seen.add(fingerprint);
    const x509 = new X509Certificate(cert.raw);
    const notAfter = x509.validToDate;
    chain.push({
      subject: x509.subject.replaceAll('\n', ', '),
      issuer: x509.issuer.replaceAll('\n', ', '),
      notAfter: notAfter.toISOString(),
      daysLeft: Math.floor((notAfter.getTime() - now) / DAY_MS),
    });
  }
  return chain;
}

/**
 * Reads the certificates the endpoint serves, without trusting them: an expired certificate is
 * what this looks for, so verification is off and nothing is sent over the connection.
 */
function readChain(endpoint: string, timeoutMs: number): Promise<SeenEndpoint> {
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || 443);
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      rejectUnauthorized: false,
      ...(net.isIP(host) ? {} : { servername: host }),
    });
    const done = (seen: Omit<SeenEndpoint, 'endpoint'>) => {
      socket.destroy();
      resolve({ endpoint, ...seen });
    };
    socket.setTimeout(timeoutMs, () => done({ chain: [], error: `no TLS answer within ${timeoutMs} ms` }));
    socket.once('secureConnect', () => {
      const leaf = socket.getPeerCertificate(true);
      if (!leaf.raw) return done({ chain: [], error: 'the server sent no certificate' });
      try {
        done({ chain: chainOf(leaf, Date.now()) });
      } catch (error) {
        done({ chain: [], error: `unreadable certificate: ${errorMessage(error)}` });
      }
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({ chain: [], error: error.code ?? error.message }),
    );
  });
}

/**
 * The certificates a control-plane diagnosis can see from outside: what each API server and etcd
 * member serves. Client certificates (kubelet, controller-manager, scheduler kubeconfigs) are not
 * visible this way: `kubeadm certs check-expiration` on a control-plane node reads those.
 */
export const certificateExpiry = implement(certificateExpiryContract, async (input, context) => {
  const target = context.cluster(input.cluster);
  if (!target)
    return { completed: false, result: {}, error: `no cluster ${input.cluster} in LIFEBOAT_CONFIG clusters` };
  const withEtcd = String(input.etcd ?? true) === 'true';
  const etcd = withEtcd ? (target.etcd?.endpoints ?? []).filter((e) => e.startsWith('https://')) : [];
  const endpoints = [...(target.apiServers ?? []), ...etcd];
  if (endpoints.length === 0)
    return {
      completed: false,
      result: {},
      error: `cluster ${input.cluster} has no TLS endpoints configured: list its API servers as clusters.${input.cluster}.apiServers (https://HOST:PORT) in LIFEBOAT_CONFIG`,
    };
  const marginMs = durationSeconds(input.margin ?? '7d') * 1000;
  const timeoutMs = Math.max(100, Math.min(CONNECT_TIMEOUT_MS, context.timeoutMs / 2));
  const seen = await Promise.all(endpoints.map((endpoint) => readChain(endpoint, timeoutMs)));
  const limit = Date.now() + marginMs;
  const tolerate = String(input.allowUnreachable ?? false) === 'true';
  const unreachable = seen.filter((endpoint) => endpoint.error).map((endpoint) => endpoint.endpoint);
  if (tolerate && unreachable.length === seen.length)
    return {
      completed: true,
      result: { ok: false, endpoints: seen, unreachable },
      error: `no endpoint of cluster ${input.cluster} answered TLS, so no certificate could be read: check them on a control-plane node (kubeadm certs check-expiration)`,
    };
  const problems = seen.flatMap((endpoint) =>
    endpoint.error
      ? tolerate
        ? []
        : [`${endpoint.endpoint}: ${endpoint.error}`]
      : endpoint.chain
          .filter((cert) => Date.parse(cert.notAfter) <= limit)
          .map(
            (cert) =>
              `${endpoint.endpoint}: ${cert.subject} ${cert.daysLeft < 0 ? 'expired' : 'expires'} ${cert.notAfter}`,
          ),
  );
  const all = seen.flatMap((endpoint) => endpoint.chain.map((cert) => cert.notAfter)).sort();
  const result = {
    ok: problems.length === 0,
    endpoints: seen,
    unreachable,
    ...(all[0] ? { soonest: all[0] } : {}),
  };
  if (problems.length === 0) return { completed: true, result };
  return {
    completed: true,
    result,
    error: `${problems.join('; ')}: renew them (kubeadm certs renew all on kubeadm; k3s and RKE2 renew at restart within 90 days of expiry, or with "k3s certificate rotate") and restart the control plane`,
  };
});

import { ApiException } from '@kubernetes/client-node';
import { explain, KubeError } from '../../src/actions/k8s/errors.js';
import { errorCode, LifeboatError } from '../../src/errors.js';

const op = { verb: 'get', resource: { plural: 'namespaces', kind: 'Namespace' }, name: 'shop' } as const;
const target = { name: 'primary', context: 'prod' };
const answered = (status: number) =>
  explain(
    new ApiException(status, 'refused', JSON.stringify({ kind: 'Status', message: 'no' }), {}),
    op,
    target,
  );

describe('a Kubernetes failure carries a code callers decide on, and the error it came from', () => {
  it('codes what the API server answered', () => {
    expect(errorCode(answered(403))).toBe('kube-forbidden');
    expect(errorCode(answered(404))).toBe('kube-not-found');
    expect(errorCode(answered(409))).toBe('kube-conflict');
    expect(errorCode(answered(422))).toBe('kube-invalid');
    expect(errorCode(answered(503))).toBe('kube-unreachable');
  });

  it('codes an API server that did not answer, keeping the socket error as the cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6443'), { code: 'ECONNREFUSED' });
    const error = explain(refused, op, target);
    expect(error).toBeInstanceOf(KubeError);
    expect(error).toBeInstanceOf(LifeboatError);
    expect(errorCode(error)).toBe('kube-unreachable');
    expect(error.cause).toBe(refused);
    expect(error.message).toMatch(
      /^cannot reach the API server of cluster primary \(context prod\): ECONNREFUSED/,
    );
  });
});

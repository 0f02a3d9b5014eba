import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource, groupVersion } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import { ApiError } from '../../api/status.js';
import { silentLogger } from '../../util/log.js';
import { FakeTransport } from './fake-transport.js';
import type { FakeCall } from './fake-transport.js';
import type { WebhookAttributes } from './webhook-attributes.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';

const CONFIGMAPS = findResource('', 'v1', 'configmaps') as ResourceInfo;
const VWC = findResource('admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations') as ResourceInfo;

const hook = (name: string, extra: Record<string, unknown> = {}) => ({
  name, clientConfig: { url: `https://127.0.0.1:9443/${name}` }, sideEffects: 'None', admissionReviewVersions: ['v1'], timeoutSeconds: 3,
  rules: [{ operations: ['*'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }], ...extra,
});

function dispatcher(stored: KubeObject[], answer: (c: FakeCall) => Record<string, unknown> | Error) {
  const transport = new FakeTransport(answer);
  const byKey = new Map(stored.map((o) => [`${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`, o]));
  const d = new WebhookDispatcher({
    transport, log: silentLogger(),
    get: async (ri, ns, name) => byKey.get(`${ri.kind}/${ns ?? ''}/${name}`),
    list: async (ri) => stored.filter((o) => o.kind === ri.kind && o.apiVersion === groupVersion(ri)),
    applyDefaults: (_kind, obj) => { obj.metadata = { ...obj.metadata, annotations: { ...obj.metadata?.annotations, defaulted: 'yes' } }; },
  });
  return { d, transport };
}

const vwc = (name: string, ...webhooks: unknown[]): KubeObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name }, webhooks });
const mwc = (name: string, ...webhooks: unknown[]): KubeObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name }, webhooks });
const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' }, data: { a: 'b' } };
const attrs = (extra: Partial<WebhookAttributes> = {}): WebhookAttributes => ({
  operation: 'CREATE', ri: CONFIGMAPS, subresource: '', namespace: 'ns', name: 'c', object: cm, dryRun: false,
  user: { name: 'alice', groups: ['dev'] }, options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' }, ...extra,
});
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');

describe('WebhookDispatcher', () => {
  it('sends an AdmissionReview v1 request with the request attributes', async () => {
    const { d, transport } = dispatcher([vwc('v', hook('allow.example.com'))], () => ({ allowed: true }));
    await d.validate(attrs());
    const call = transport.calls[0];
    expect(call?.timeoutMs).toBe(3000);
    expect(call?.target.url.toString()).toBe('https://127.0.0.1:9443/allow.example.com?timeout=3s');
    expect(call?.review).toMatchObject({
      apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
      request: {
        kind: { group: '', version: 'v1', kind: 'ConfigMap' }, resource: { group: '', version: 'v1', resource: 'configmaps' },
        requestKind: { kind: 'ConfigMap' }, name: 'c', namespace: 'ns', operation: 'CREATE', userInfo: { username: 'alice', groups: ['dev'] },
        object: cm, oldObject: null, dryRun: false, options: { kind: 'CreateOptions' },
      },
    });
    expect(call?.review.request['uid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('fails a denied request with the webhook message and code (400 when below 400)', async () => {
    const { d } = dispatcher([vwc('v', hook('deny.example.com'))], () => ({ allowed: false, status: { code: 200, message: 'no thanks' } }));
    const err = await d.validate(attrs()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toMatchObject({ code: 400, message: 'admission webhook "deny.example.com" denied the request: no thanks' });
    const { d: d2 } = dispatcher([vwc('v', hook('deny.example.com'))], () => ({ allowed: false }));
    await expect(d2.validate(attrs())).rejects.toMatchObject({ status: { message: 'admission webhook "deny.example.com" denied the request without explanation' } });
  });

  it('applies mutating patches in configuration name order and re-applies defaults', async () => {
    const { d, transport } = dispatcher([mwc('b', hook('second.example.com')), mwc('a', hook('first.example.com'))], (c) => {
      const first = c.target.url.pathname === '/first.example.com';
      return { allowed: true, patchType: 'JSONPatch', patch: b64([{ op: 'add', path: `/data/${first ? 'one' : 'two'}`, value: 'x' }]) };
    });
    const out = await d.mutate(attrs());
    expect(out?.['data']).toEqual({ a: 'b', one: 'x', two: 'x' });
    expect(out?.metadata?.annotations).toEqual({ defaulted: 'yes' });
    expect(transport.calls.map((c) => c.target.url.pathname)).toEqual(['/first.example.com', '/second.example.com']);
    // the second webhook saw the first one's patch
    expect((transport.calls[1]?.review.request['object'] as KubeObject)['data']).toEqual({ a: 'b', one: 'x' });
    expect(cm['data']).toEqual({ a: 'b' });
  });

  it('refuses a patch without patchType and a wrong uid as call failures', async () => {
    const { d } = dispatcher([mwc('m', hook('m.example.com'))], () => ({ allowed: true, patch: b64([]) }));
    await expect(d.mutate(attrs())).rejects.toMatchObject({ status: { code: 500, message: expect.stringContaining('webhook returned response.patch but not response.patchType') } });
    const { d: d2 } = dispatcher([vwc('v', hook('v.example.com'))], () => ({ allowed: true, uid: 'x' }));
    await expect(d2.validate(attrs())).rejects.toMatchObject({ status: { message: expect.stringContaining('expected response.uid=') } });
  });

  it('failurePolicy Ignore swallows call errors, Fail turns them into 500', async () => {
    const boom = () => new Error('connect ECONNREFUSED 127.0.0.1:9443');
    const { d } = dispatcher([vwc('v', hook('ignore.example.com', { failurePolicy: 'Ignore' }))], boom);
    await expect(d.validate(attrs())).resolves.toBeUndefined();
    const { d: d2 } = dispatcher([vwc('v', hook('fail.example.com', { failurePolicy: 'Fail' }))], boom);
    await expect(d2.validate(attrs())).rejects.toMatchObject({
      status: { code: 500, reason: 'InternalError', message: 'Internal error occurred: failed calling webhook "fail.example.com": failed to call webhook: Post "https://127.0.0.1:9443/fail.example.com?timeout=3s": connect ECONNREFUSED 127.0.0.1:9443' },
    });
  });

  it('sends CONNECT pods/attach with the options object and denies it', async () => {
    const attach = { rules: [{ operations: ['CONNECT'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods/attach'] }] };
    const { d, transport } = dispatcher([vwc('v', hook('attach.example.com', attach))], () => ({ allowed: false, status: { message: 'attaching to pod is not allowed' } }));
    const options = { apiVersion: 'v1', kind: 'PodAttachOptions', stdin: true };
    const pods = findResource('', 'v1', 'pods') as ResourceInfo;
    await expect(d.validate(attrs({ operation: 'CONNECT', ri: pods, subresource: 'attach', name: 'p', object: options, options: undefined })))
      .rejects.toMatchObject({ status: { code: 400, message: 'admission webhook "attach.example.com" denied the request: attaching to pod is not allowed' } });
    expect(transport.calls[0]?.review.request).toMatchObject({ operation: 'CONNECT', subResource: 'attach', kind: { kind: 'PodAttachOptions' }, object: options });
    await d.validate(attrs({ operation: 'CONNECT', ri: pods, subresource: 'exec', name: 'p', object: options }));
    expect(transport.calls).toHaveLength(1);
  });

  it('never calls webhooks for webhook configurations', async () => {
    const { d, transport } = dispatcher([vwc('v', hook('all.example.com', { rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] }] }))], () => ({ allowed: false }));
    await d.validate(attrs({ ri: VWC, namespace: undefined, object: vwc('x') }));
    expect(transport.calls).toEqual([]);
  });

  it('sends a Service webhook to a ready endpoint, naming the service in errors and TLS', async () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hook', namespace: 'sys' }, spec: { ports: [{ name: 'https', port: 443, targetPort: 8443 }] } };
    const eps: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'hook', namespace: 'sys' }, subsets: [{ addresses: [{ ip: '10.244.1.7' }], ports: [{ name: 'https', port: 8443 }] }] };
    const service = { clientConfig: { service: { namespace: 'sys', name: 'hook', path: '/check', port: 443 }, caBundle: Buffer.from('PEM').toString('base64') } };
    const { d, transport } = dispatcher([vwc('v', hook('svc.example.com', service)), svc, eps], () => ({ allowed: true }));
    await d.validate(attrs());
    expect(transport.calls[0]?.target).toMatchObject({ serverName: 'hook.sys.svc', ca: 'PEM', display: 'https://hook.sys.svc:443/check?timeout=3s' });
    expect(transport.calls[0]?.target.url.toString()).toBe('https://10.244.1.7:8443/check?timeout=3s');
    const { d: d2 } = dispatcher([vwc('v', hook('svc.example.com', service)), svc], () => ({ allowed: true }));
    await expect(d2.validate(attrs())).rejects.toMatchObject({ status: { message: expect.stringContaining('service "sys/hook" has no ready endpoints for port 443') } });
  });
});

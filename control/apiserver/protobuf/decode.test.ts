import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/status.js';
import { decodeProtobufObject } from './decode.js';

/** Bodies captured from the real kubectl 1.32 (`kubectl create …`, `kubectl drain --disable-eviction`). */
const fixture = (name: string): Uint8Array => readFileSync(new URL(`./testdata/${name}.pb`, import.meta.url));
const decode = (name: string): Record<string, unknown> => decodeProtobufObject(fixture(name)).object;

function apiErrorOf(fn: () => unknown): ApiError {
  try { fn(); } catch (err) { if (err instanceof ApiError) return err; throw err; }
  throw new Error('expected an ApiError');
}

describe('decodeProtobufObject on captured kubectl bodies', () => {
  it('create namespace dev', () => {
    const r = decodeProtobufObject(fixture('namespace'));
    expect(r.apiVersion).toBe('v1');
    expect(r.kind).toBe('Namespace');
    // creationTimestamp {} (seconds=0) is unset; status.phase "" is dropped; empty messages stay.
    expect(r.object).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' }, spec: {}, status: {} });
  });

  it('create deployment web --image=tinykube/web:1 --replicas=3 --port=80', () => {
    const o = decode('deployment');
    expect(o).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } } });
    expect(o).not.toHaveProperty('metadata.creationTimestamp');
    expect(o).toHaveProperty('spec.replicas', 3);
    expect(o).toHaveProperty('spec.selector', { matchLabels: { app: 'web' } });
    expect(o).toHaveProperty('spec.strategy', {});
    expect(o).toHaveProperty('spec.template.metadata.labels', { app: 'web' });
    expect(o).toHaveProperty('spec.template.spec.containers', [{
      name: 'web', image: 'tinykube/web:1', ports: [{ containerPort: 80 }],
      resources: {},
    }]);
  });

  it('create deployment with two images keeps both containers and replicas 1', () => {
    const o = decode('deployment-multi');
    expect(o).toHaveProperty('spec.replicas', 1);
    expect(o).toHaveProperty('spec.template.spec.containers.0.image', 'a:1');
    expect(o).toHaveProperty('spec.template.spec.containers.1.image', 'b:2');
  });

  it('create configmap c --from-literal=a=b', () => {
    expect(decode('configmap')).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } });
  });

  it('create secret generic s --from-literal=p=q: bytes become base64', () => {
    expect(decode('secret')).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { p: 'cQ==' } });
  });

  it('create secret docker-registry keeps the type', () => {
    const o = decode('secret-docker');
    expect(o).toHaveProperty('type', 'kubernetes.io/dockerconfigjson');
    const data = o['data'] as Record<string, string>;
    const cfg = JSON.parse(Buffer.from(data['.dockerconfigjson'] ?? '', 'base64').toString('utf8')) as unknown;
    expect(cfg).toMatchObject({ auths: { 'r.io': { username: 'u', password: 'p' } } });
  });

  it('create service nodeport ns1 --tcp=80:8080 --node-port=30080', () => {
    const o = decode('service-nodeport');
    expect(o).toMatchObject({ kind: 'Service', metadata: { name: 'ns1', labels: { app: 'ns1' } } });
    expect(o).toHaveProperty('spec.type', 'NodePort');
    expect(o).toHaveProperty('spec.selector', { app: 'ns1' });
    expect(o).toHaveProperty('spec.ports', [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }]);
    expect(o).toHaveProperty('status', { loadBalancer: {} });
  });

  it('create service clusterip: IntOrString targetPort is a number, clusterIP "" dropped', () => {
    const o = decode('service-clusterip');
    expect(o).toHaveProperty('spec.type', 'ClusterIP');
    expect(o).toHaveProperty('spec.ports.0.targetPort', 8080);
    expect(o).not.toHaveProperty('spec.clusterIP');
  });

  it('create job j --image=busybox -- echo hi', () => {
    const o = decode('job');
    expect(o).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' } });
    expect(o).toHaveProperty('spec.template.spec.restartPolicy', 'Never');
    expect(o).toHaveProperty('spec.template.spec.containers.0', expect.objectContaining({ name: 'j', image: 'busybox', command: ['echo', 'hi'] }));
  });

  it('create cronjob cj --schedule="*/1 * * * *" -- date', () => {
    const o = decode('cronjob');
    expect(o).toMatchObject({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' } });
    expect(o).toHaveProperty('spec.schedule', '*/1 * * * *');
    expect(o).toHaveProperty('spec.jobTemplate.metadata.name', 'cj');
    expect(o).toHaveProperty('spec.jobTemplate.spec.template.spec.restartPolicy', 'OnFailure');
    expect(o).toHaveProperty('spec.jobTemplate.spec.template.spec.containers.0.command', ['date']);
  });

  it('create serviceaccount sa1', () => {
    expect(decode('serviceaccount')).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa1' } });
  });

  it('drain fallback DELETE bodies are DeleteOptions (empty and with a grace period)', () => {
    expect(decodeProtobufObject(fixture('deleteoptions'))).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions', object: { apiVersion: 'v1', kind: 'DeleteOptions' } });
    expect(decode('deleteoptions-grace')).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 7 });
  });
});

describe('decodeProtobufObject errors', () => {
  it('rejects a body without the k8s\\0 magic', () => {
    const err = apiErrorOf(() => decodeProtobufObject(new TextEncoder().encode('{"kind":"Pod"}')));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toContain('k8s\\x00');
  });

  it('rejects a truncated body', () => {
    const body = fixture('deployment');
    const err = apiErrorOf(() => decodeProtobufObject(body.subarray(0, body.length - 40)));
    expect(err.code).toBe(400);
    expect(err.message).toMatch(/unable to decode/);
  });

  it('rejects an unregistered kind with the upstream wording', () => {
    // Envelope {typeMeta{apiVersion:"v1", kind:"Widget"}} after the magic.
    const tm = [0x0a, 0x02, 0x76, 0x31, 0x12, 0x06, ...new TextEncoder().encode('Widget')];
    const body = Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x0a, tm.length, ...tm]);
    const err = apiErrorOf(() => decodeProtobufObject(body));
    expect(err.code).toBe(400);
    expect(err.message).toBe('no kind "Widget" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
  });
});

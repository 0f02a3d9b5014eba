import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RCS, pod, PODS } from '../testing/fixtures.js';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { encodeProtobufBody } from './testing/encode-object.js';

/**
 * Typed clients (the conformance suite's client-go) send every create and update as protobuf:
 * POST, PUT, PUT …/status, PUT …/scale and POST …/eviction all go through the decoder.
 */
const PROTOBUF = { 'content-type': 'application/vnd.kubernetes.protobuf' };
const container = { name: 'c', image: 'tinykube/web:1' };
const rc = (replicas: number) => ({
  metadata: { name: 'rc' },
  spec: { replicas, selector: { app: 'rc' }, template: { metadata: { labels: { app: 'rc' } }, spec: { containers: [container] } } },
});

describe('protobuf request bodies through the API server', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer(); });
  afterEach(async () => { await s.close(); });

  const pb = (method: 'POST' | 'PUT', url: string, apiVersion: string, kind: string, object: Record<string, unknown>) =>
    s.request(method, url, Buffer.from(encodeProtobufBody(apiVersion, kind, object)), PROTOBUF);

  it('creates a ReplicationController, updates it, its status and its scale', async () => {
    const created = await pb('POST', RCS, 'v1', 'ReplicationController', rc(2));
    expect(created.status, created.text).toBe(201);
    expect(created.body).toHaveProperty('spec.template.spec.containers.0.image', 'tinykube/web:1');
    const rv = String(created.body.metadata?.['resourceVersion']);

    const updated = await pb('PUT', `${RCS}/rc`, 'v1', 'ReplicationController', { ...rc(3), metadata: { name: 'rc', resourceVersion: rv } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toHaveProperty('spec.replicas', 3);

    const status = await pb('PUT', `${RCS}/rc/status`, 'v1', 'ReplicationController', { ...rc(3), status: { replicas: 3, readyReplicas: 1, observedGeneration: 2 } });
    expect(status.status, status.text).toBe(200);
    expect(status.body).toHaveProperty('status.readyReplicas', 1);

    const scaled = await pb('PUT', `${RCS}/rc/scale`, 'autoscaling/v1', 'Scale', { metadata: { name: 'rc', namespace: 'default' }, spec: { replicas: 5 } });
    expect(scaled.status, scaled.text).toBe(200);
    expect(scaled.body).toMatchObject({ kind: 'Scale', spec: { replicas: 5 } });
    expect((await s.request('GET', `${RCS}/rc`)).body).toHaveProperty('spec.replicas', 5);
    // Scale.spec.replicas is a plain int32: gogo writes 0, and 0 is a scale to zero, not a missing value
    const zero = await pb('PUT', `${RCS}/rc/scale`, 'autoscaling/v1', 'Scale', { metadata: { name: 'rc', namespace: 'default' }, spec: { replicas: 0 } });
    expect(zero.status, zero.text).toBe(200);
    expect((await s.request('GET', `${RCS}/rc`)).body).toHaveProperty('spec.replicas', 0);
  });

  it('creates a Node and updates its status', async () => {
    const created = await pb('POST', '/api/v1/nodes', 'v1', 'Node', { metadata: { name: 'n1' }, spec: { podCIDR: '10.1.0.0/24' } });
    expect(created.status, created.text).toBe(201);
    const status = {
      capacity: { cpu: '4', pods: '110' }, allocatable: { cpu: '4', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: '2024-01-01T00:00:00Z', lastTransitionTime: '2024-01-01T00:00:00Z' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    };
    const res = await pb('PUT', '/api/v1/nodes/n1/status', 'v1', 'Node', { metadata: { name: 'n1' }, status });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toHaveProperty('status.conditions.0.type', 'Ready');
    expect(res.body).toHaveProperty('status.capacity.cpu', '4');
    expect(res.body).toHaveProperty('status.daemonEndpoints.kubeletEndpoint.Port', 10250);
  });

  it('creates the RBAC kinds from the bodies kubectl create sends', async () => {
    const body = readFileSync(new URL('./testdata/clusterrolebinding.pb', import.meta.url));
    const res = await s.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', body, PROTOBUF);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ kind: 'ClusterRoleBinding', roleRef: { kind: 'ClusterRole', name: 'view' } });
  });

  it('evicts a pod with a policy/v1beta1 Eviction (what v1.20 clients send)', async () => {
    expect((await s.request('POST', PODS, pod('victim'))).status).toBe(201);
    const res = await pb('POST', `${PODS}/victim/eviction`, 'policy/v1beta1', 'Eviction', { metadata: { name: 'victim', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 0 } });
    expect(res.status, res.text).toBe(201);
    expect((await s.request('GET', `${PODS}/victim`)).status).toBe(404);
  });
});

/**
 * More of what users type, against the real server and kubectl: the protobuf generators, server-side
 * apply, dry runs and diff, events in describe, drain through evictions, delete --all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestControlPlane } from '../helpers/control-plane.js';
import { rawRequest } from '../helpers/https-client.js';

describe('kubectl: generators, server-side apply, dry runs, drain', () => {
  const cp = new TestControlPlane();
  beforeAll(async () => { await cp.start(); });
  afterAll(async () => { await cp.destroy(); });

  it('create <generator> sends protobuf and the objects come out right', async () => {
    expect(await cp.k('create', 'configmap', 'cfg', '--from-literal=a=b')).toContain('configmap/cfg created');
    expect(await cp.k('get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}')).toBe('b');
    expect(await cp.k('create', 'secret', 'generic', 'sec', '--from-literal=p=q')).toContain('secret/sec created');
    expect(await cp.k('get', 'secret', 'sec', '-o', 'jsonpath={.data.p} {.type}')).toBe('cQ== Opaque');
    expect(await cp.k('create', 'job', 'once', '--image=tinykube/busybox:1', '--', 'echo', 'hi')).toContain('job.batch/once created');
    expect(await cp.k('get', 'job', 'once', '-o', 'jsonpath={.spec.template.spec.restartPolicy} {.spec.backoffLimit}')).toBe('Never 6');
    expect(await cp.k('create', 'cronjob', 'tick', '--image=tinykube/busybox:1', '--schedule=*/1 * * * *', '--', 'date')).toContain('cronjob.batch/tick created');
    expect(await cp.k('get', 'cronjobs')).toMatch(/tick\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+0\s+<none>/);
    const bad = await cp.kubectl(['create', 'cronjob', 'bad', '--image=x', '--schedule=not a schedule']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('spec.schedule');
  });

  it('apply --server-side creates, then updates', async () => {
    const f = cp.manifest('ssa.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ssa}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: ssa}}\n  template:\n    metadata: {labels: {app: ssa}}\n    spec: {containers: [{name: c, image: tinykube/web:1}]}\n');
    expect(await cp.k('apply', '--server-side', '-f', f)).toContain('deployment.apps/ssa serverside-applied');
    const f2 = cp.manifest('ssa2.yaml', (await import('node:fs')).readFileSync(f, 'utf8').replace('replicas: 1', 'replicas: 4'));
    expect(await cp.k('apply', '--server-side', '-f', f2)).toContain('serverside-applied');
    expect(await cp.k('get', 'deploy', 'ssa', '-o', 'jsonpath={.spec.replicas}')).toBe('4');
  });

  it('--dry-run=server stores nothing; diff shows the change', async () => {
    expect(await cp.k('create', 'deployment', 'dry', '--image=tinykube/web:1', '--dry-run=server')).toContain('created (server dry run)');
    expect((await cp.kubectl(['get', 'deploy', 'dry'])).stderr).toContain('not found');
    const f = cp.manifest('diff.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: changed}\n');
    const d = await cp.kubectl(['diff', '-f', f]);
    expect(d.code).toBe(1); // 1 = differences found
    expect(d.stdout).toContain('+  a: changed');
    expect(await cp.k('get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}')).toBe('b');
  });

  it('events posted for a pod appear in describe and get events', async () => {
    await cp.k('run', 'ev', '--image=tinykube/web:1');
    const uid = await cp.k('get', 'pod', 'ev', '-o', 'jsonpath={.metadata.uid}');
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const res = await rawRequest({
      url: cp.url, token: cp.token, ca: cp.caCert, method: 'POST', path: '/api/v1/namespaces/default/events', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'ev.1' }, involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'ev', namespace: 'default', uid },
        reason: 'Scheduled', message: 'Successfully assigned default/ev to node1', type: 'Normal', source: { component: 'default-scheduler' }, firstTimestamp: now, lastTimestamp: now, count: 1 }),
    });
    expect(res.status).toBe(201);
    expect(await cp.k('describe', 'pod', 'ev')).toMatch(/Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/ev to node1/);
    expect(await cp.k('get', 'events')).toMatch(/Normal\s+Scheduled\s+pod\/ev\s+Successfully assigned/);
  });

  it('drain evicts the pods of a cordoned node; delete pods --all', async () => {
    await cp.k('create', '-f', cp.manifest('n2.yaml', 'apiVersion: v1\nkind: Node\nmetadata: {name: n2}\n'));
    for (const name of ['d1', 'd2']) {
      await cp.k('create', '-f', cp.manifest(`${name}.yaml`, `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  nodeName: n2\n  terminationGracePeriodSeconds: 0\n  containers: [{name: c, image: tinykube/web:1}]\n`));
    }
    const drain = await cp.kubectl(['drain', 'n2', '--force', '--timeout=30s']);
    expect(drain.stdout + drain.stderr).toContain('evicting pod default/d1');
    expect(drain.stdout).toContain('node/n2 drained');
    expect(await cp.k('get', 'node', 'n2')).toContain('SchedulingDisabled');
    expect(await cp.k('get', 'pods', '--field-selector', 'spec.nodeName=n2', '-o', 'name')).toBe('');
    await cp.k('run', 'x1', '--image=tinykube/web:1');
    expect(await cp.k('delete', 'pods', '--all')).toContain('pod "x1" deleted');
    expect((await cp.kubectl(['get', 'pod', 'x1'])).stderr).toContain('pods "x1" not found');
  });

  it('cluster-info, api-resources, describe node, /metrics', async () => {
    expect(await cp.k('cluster-info')).toContain('Kubernetes control plane is running at');
    const ar = await cp.k('api-resources');
    expect(ar).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
    expect(ar).toMatch(/pods\s+po\s+v1\s+true\s+Pod/);
    expect(await cp.k('describe', 'node', 'n2')).toMatch(/Name:\s+n2/);
    const m = await rawRequest({ url: cp.url, token: cp.token, ca: cp.caCert, method: 'GET', path: '/metrics' });
    expect(m.body).toContain('apiserver_request_total{verb="POST",resource="pods",code="201"}');
  });
});

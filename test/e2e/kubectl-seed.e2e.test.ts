/**
 * The seed notes' kubectl flow against the real `tinykube server` and the real kubectl 1.32, with
 * only the control plane running (no scheduler or agents yet).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { TestControlPlane, ROOT } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';

const data = (f: string) => join(ROOT, 'test/e2e/testdata', f);

describe('kubectl against the control plane (seed manifests)', () => {
  const cp = new TestControlPlane();
  beforeAll(async () => { await cp.start(); });
  afterAll(async () => { await cp.destroy(); });

  it('version reports 1.32 and get nodes answers', async () => {
    const v = JSON.parse(await cp.k('version', '-o', 'json')) as { serverVersion: { minor: string } };
    expect(v.serverVersion.minor).toBe('32');
    const r = await cp.kubectl(['get', 'nodes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('No resources found');
  });

  it('create -f the seed pod, get -o wide, get -A, describe', async () => {
    expect(await cp.k('create', '-f', data('pod-definition.yaml'))).toContain('pod/myapp-pod created');
    const wide = await cp.k('get', 'pods', '-o', 'wide');
    expect(wide).toMatch(/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/);
    expect(wide).toMatch(/myapp-pod\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>/);
    const all = await cp.k('get', 'pods', '-A');
    expect(all).toMatch(/^NAMESPACE\s+NAME/);
    expect(all).toMatch(/\ndefault\s+myapp-pod\s+0\/1\s+Pending/);
    const d = await cp.k('describe', 'pod', 'myapp-pod');
    expect(d).toMatch(/Name:\s+myapp-pod/);
    expect(d).toMatch(/Labels:\s+app=myapp/);
    expect(d).toContain('nginx-container');
    expect(d).toContain('Events:');
    const dup = await cp.kubectl(['create', '-f', data('pod-definition.yaml')]);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toContain('Error from server (AlreadyExists): error when creating');
    expect(dup.stderr).toContain('pods "myapp-pod" already exists');
  });

  it('label, get -l, delete', async () => {
    expect(await cp.k('label', 'pod', 'myapp-pod', 'tier=web')).toContain('pod/myapp-pod labeled');
    expect(await cp.k('get', 'pods', '-l', 'tier=web', '-o', 'name')).toBe('pod/myapp-pod\n');
    expect(await cp.k('get', 'pods', '-l', 'tier in (db,cache)', '-o', 'name')).toBe('');
    expect(await cp.k('get', 'pods', '-l', 'app=myapp,tier!=db', '-o', 'name')).toBe('pod/myapp-pod\n');
    expect(await cp.k('label', 'pod', 'myapp-pod', 'tier-')).toContain('pod/myapp-pod unlabeled');
    expect(await cp.k('delete', 'pod', 'myapp-pod')).toContain('pod "myapp-pod" deleted');
    const gone = await cp.kubectl(['get', 'pod', 'myapp-pod']);
    expect(gone.stderr).toContain('Error from server (NotFound): pods "myapp-pod" not found');
  });

  it('replicaset: create, scale, replace -f with a stale and a fresh version', async () => {
    expect(await cp.k('create', '-f', data('replicaset-definition.yaml'))).toContain('replicaset.apps/myapp-replicaset created');
    expect(await cp.k('scale', '--replicas=6', '-f', data('replicaset-definition.yaml'))).toContain('scaled');
    expect(await cp.k('get', 'rs', 'myapp-replicaset', '-o', 'jsonpath={.spec.replicas}')).toBe('6');
    expect(await cp.k('scale', 'rs', 'myapp-replicaset', '--replicas=2')).toContain('replicaset.apps/myapp-replicaset scaled');
    expect(await cp.k('get', 'rs', 'myapp-replicaset', '-o', 'jsonpath={.spec.replicas}')).toBe('2');
    const out = await cp.k('get', 'rs');
    expect(out).toMatch(/NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE/);
    expect(out).toMatch(/myapp-replicaset\s+2\s+[0-2]\s+0\s+/); // no Ready node here: pods stay Pending
    expect(await cp.k('replace', '-f', data('replicaset-definition.yaml'))).toContain('replicaset.apps/myapp-replicaset replaced');
    expect(await cp.k('get', 'rs', 'myapp-replicaset', '-o', 'jsonpath={.spec.replicas}')).toBe('3');
    // a stale resourceVersion is refused with the upstream Conflict
    const json = JSON.parse(await cp.k('get', 'rs', 'myapp-replicaset', '-o', 'json')) as { metadata: Record<string, unknown> };
    const stale = { ...json, metadata: { ...json.metadata, resourceVersion: '1' } };
    const r = await cp.kubectl(['replace', '-f', cp.manifest('stale-rs.json', JSON.stringify(stale))]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Operation cannot be fulfilled on replicasets.apps "myapp-replicaset": the object has been modified');
    expect(await cp.k('delete', 'rs', 'myapp-replicaset')).toContain('deleted');
  });

  it('deployment: create -f, apply twice, set image, scale, get all', async () => {
    expect(await cp.k('apply', '-f', data('deployment-definition.yaml'))).toContain('deployment.apps/myapp-deployment created');
    expect(await cp.k('apply', '-f', data('deployment-definition.yaml'))).toContain('deployment.apps/myapp-deployment unchanged');
    const edited = cp.manifest('deploy-5.yaml', (await import('node:fs')).readFileSync(data('deployment-definition.yaml'), 'utf8').replace('replicas: 3', 'replicas: 5'));
    expect(await cp.k('apply', '-f', edited)).toContain('deployment.apps/myapp-deployment configured');
    expect(await cp.k('get', 'deploy', 'myapp-deployment', '-o', 'jsonpath={.spec.replicas}')).toBe('5');
    expect(await cp.k('set', 'image', 'deployment/myapp-deployment', 'nginx-container=tinykube/web:2')).toContain('image updated');
    expect(await cp.k('get', 'deploy', 'myapp-deployment', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.generation}')).toBe('tinykube/web:2 3');
    expect(await cp.k('scale', 'deployment', 'myapp-deployment', '--replicas=2')).toContain('scaled');
    expect(await cp.k('get', 'deploy', 'myapp-deployment', '-o', 'jsonpath={.spec.replicas}')).toBe('2');
    expect(await cp.k('create', 'deployment', 'imp', '--image=tinykube/web:1', '--replicas=3')).toContain('deployment.apps/imp created');
    expect(await cp.k('get', 'deploy', 'imp', '-o', 'jsonpath={.spec.replicas} {.spec.selector.matchLabels.app}')).toBe('3 imp');
    const all = await cp.k('get', 'all');
    expect(all).toContain('deployment.apps/myapp-deployment');
    expect(all).toContain('deployment.apps/imp');
    expect(all).toContain('service/kubernetes');
    expect(all).toMatch(/READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
  });

  it('service: create -f with nodePort 30008, expose --type=NodePort allocates in range', async () => {
    expect(await cp.k('create', '-f', data('service-definition.yaml'))).toContain('service/myapp-service created');
    const svc = await cp.k('get', 'svc', 'myapp-service');
    expect(svc).toMatch(/myapp-service\s+NodePort\s+10\.(9[6-9]|10\d|11[01])\.\d+\.\d+\s+<none>\s+80:30008\/TCP/);
    expect(await cp.k('expose', 'deployment', 'imp', '--type=NodePort', '--port=80')).toContain('service/imp exposed');
    const port = Number(await cp.k('get', 'svc', 'imp', '-o', 'jsonpath={.spec.ports[0].nodePort}'));
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
    expect(await cp.k('get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}')).toBe('10.96.0.1');
    const clash = await cp.kubectl(['create', 'service', 'nodeport', 'clash', '--tcp=80:80', '--node-port=30008']);
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toContain('provided port is already allocated');
  });

  it('namespaces: create namespace, run in it, delete it with its contents', async () => {
    expect(await cp.k('create', 'namespace', 'dev')).toContain('namespace/dev created');
    expect(await cp.k('run', '-n', 'dev', 'redis', '--image=tinykube/web:1')).toContain('pod/redis created');
    expect(await cp.k('get', 'pods', '--all-namespaces')).toMatch(/\ndev\s+redis\s+0\/1\s+Pending/);
    const missing = await cp.kubectl(['run', '-n', 'nope', 'x', '--image=tinykube/web:1']);
    expect(missing.stderr).toContain('namespaces "nope" not found');
    expect(await cp.k('delete', 'namespace', 'dev', '--timeout=30s')).toContain('namespace "dev" deleted');
    expect((await cp.kubectl(['get', 'ns', 'dev'])).stderr).toContain('not found');
    expect((await cp.kubectl(['get', 'pods', '-n', 'dev'])).stderr).toContain('No resources found in dev namespace');
  });

  it('nodes: create, cordon, uncordon', async () => {
    await cp.k('create', '-f', data('node.yaml'));
    expect(await cp.k('cordon', 'node1')).toContain('node/node1 cordoned');
    expect(await cp.k('get', 'node', 'node1')).toMatch(/node1\s+Unknown,SchedulingDisabled|node1\s+NotReady,SchedulingDisabled/);
    expect(await cp.k('uncordon', 'node1')).toContain('node/node1 uncordoned');
    expect(await cp.k('get', 'node', 'node1', '-o', 'jsonpath={.spec.unschedulable}')).toBe('');
  });

  it('graceful pod delete finishes once the node confirms; wait --for=delete', async () => {
    const pod = cp.manifest('bound.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: bound}\nspec:\n  nodeName: node1\n  containers: [{name: c, image: tinykube/web:1}]\n');
    await cp.k('create', '-f', pod);
    expect(await cp.k('delete', 'pod', 'bound', '--wait=false')).toContain('pod "bound" deleted');
    expect(await cp.k('get', 'pod', 'bound')).toMatch(/bound\s+0\/1\s+Terminating/);
    const waiting = cp.kubectl(['wait', '--for=delete', 'pod/bound', '--timeout=30s']);
    await new Promise((r) => setTimeout(r, 500));
    // what the kubelet does once its containers are stopped: delete with grace 0
    expect(await cp.k('delete', 'pod', 'bound', '--grace-period=0', '--force')).toContain('force deleted');
    const w = await waiting;
    expect(w.code).toBe(0);
    expect((await cp.kubectl(['get', 'pod', 'bound'])).stderr).toContain('not found');
  });

  it('get -w prints changes as they happen', async () => {
    const watcher = cp.kubectl(['get', 'pods', '-w', '--request-timeout=4s'], { timeoutMs: 15_000 });
    await new Promise((r) => setTimeout(r, 700));
    await cp.k('run', 'watched', '--image=tinykube/web:1');
    await cp.k('label', 'pod', 'watched', 'x=y');
    const w = await watcher;
    expect(w.stdout).toMatch(/NAME\s+READY\s+STATUS/);
    expect(w.stdout.match(/watched\s+0\/1\s+Pending/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    await cp.k('delete', 'pod', 'watched');
  });

  it('explain pod serves real schemas', async () => {
    const out = await cp.k('explain', 'pod.spec.containers');
    expect(out).toContain('KIND:       Pod');
    expect(out).toMatch(/FIELD:\s+containers <\[\]Container>/);
    expect(out).toContain('image\t<string>');
  });

  it('ownerReference garbage collection: deleting the owner removes dependents', async () => {
    const uid = await cp.k('get', 'deploy', 'imp', '-o', 'jsonpath={.metadata.uid}');
    const dep = cp.manifest('owned.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owned\n  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: imp, uid: ${uid}, controller: true, blockOwnerDeletion: true}]\ndata: {a: b}\n`);
    await cp.k('create', '-f', dep);
    await cp.k('delete', 'deployment', 'imp');
    await eventually(async () => { expect((await cp.kubectl(['get', 'cm', 'owned'])).stderr).toContain('not found'); }, { timeoutMs: 10_000, intervalMs: 100 });
  });
});

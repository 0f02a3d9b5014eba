/**
 * Issue 5 on a 3-node `tinykube cluster up`: the seeds' NodePort service answers on every node IP
 * and spreads over every replica; ClusterIP and the service's DNS name work from a pod, hairpin
 * included; a ClusterIP service turned ExternalName frees its address and resolves through its
 * CNAME; pods reach pods on other nodes; a service without endpoints is refused at once;
 * LoadBalancer gets the node addresses. The same cases on Docker and on `--runtime containerd`
 * (issue 12: one containerd per node namespace), each ending with `cluster down` leaving nothing
 * of the cluster on the host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { issueClientCert } from '../../control/pki/issue-cert.js';
import { clusterTraces, hostChains } from '../helpers/cluster-leftovers.js';
import { CLI, ROOT } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import type { Run } from '../helpers/control-plane.js';

function run(cmd: string, args: readonly string[], timeoutMs = 180_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** GET with a hard timeout; resolves the body, or 'ERR:<code>' with how long the failure took. */
async function get(url: string, timeoutMs = 3000): Promise<{ body: string; ms: number }> {
  const t0 = Date.now();
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { body: await r.text(), ms: Date.now() - t0 };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return { body: `ERR:${cause?.code ?? (err as Error).name}`, ms: Date.now() - t0 };
  }
}

describe.each(['docker', 'containerd'] as const)('services on a 3-node local cluster (%s)', (runtime) => {
  const name = `tks${randomBytes(2).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'tk-svc-'));
  const cache = join(dir, 'cache');
  let kubeconfig = '';
  let nodeIPs: string[] = [];
  const k = async (...args: string[]) => {
    const r = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cache, ...args], 60_000);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const podNames = async () => (await k('get', 'pods', '-l', 'type=front-end', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').filter(Boolean);

  let chainsBefore: string[] = [];
  let down = false;

  beforeAll(async () => {
    chainsBefore = hostChains();
    const up = await run(process.execPath, [CLI, 'cluster', 'up', '--name', name, '--nodes', '3', '--runtime', runtime]);
    if (up.code !== 0) throw new Error(`cluster up: ${up.stderr}${up.stdout}`);
    kubeconfig = /export KUBECONFIG=(\S+)/.exec(up.stdout)?.[1] ?? '';
    nodeIPs = (await k('get', 'nodes', '-o', 'jsonpath={.items[*].status.addresses[?(@.type=="InternalIP")].address}')).split(' ');
    expect(nodeIPs).toHaveLength(3);
  }, 240_000);
  afterAll(async () => {
    if (!down) await run(process.execPath, [CLI, 'cluster', 'down', '--name', name]);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('the seed NodePort service answers on every node IP, and every replica answers', async () => {
    await k('create', '-f', join(ROOT, 'test/e2e/testdata/deployment-definition.yaml'));
    await k('create', '-f', join(ROOT, 'test/e2e/testdata/service-definition.yaml'));
    await k('rollout', 'status', 'deployment/myapp-deployment', '--timeout=120s');
    const replicas = await podNames();
    expect(replicas).toHaveLength(3);
    for (const ip of nodeIPs) {
      await eventually(async () => { expect((await get(`http://${ip}:30008/`)).body).toContain('tinykube web: pod=myapp-deployment-'); }, { timeoutMs: 20_000, intervalMs: 100 });
    }
    // Ready pods reach every node's rules through the EndpointSlice watch a moment after the
    // rollout: keep asking, across the node IPs, until every replica has answered.
    const seen = new Set<string>();
    let i = 0;
    await eventually(async () => {
      for (const end = i + 30; i < end; i++) {
        const { body } = await get(`http://${nodeIPs[i % 3]}:30008/`);
        const m = /pod=(\S+)/.exec(body);
        if (m) seen.add(m[1]!);
      }
      expect([...seen].sort()).toEqual([...replicas].sort());
    }, { timeoutMs: 30_000, intervalMs: 100 });
  });

  it('from a pod: the ClusterIP, the DNS name, and the pod reaching itself through its service', async () => {
    const clusterIP = await k('get', 'svc', 'myapp-service', '-o', 'jsonpath={.spec.clusterIP}');
    const [pod] = await podNames();
    const fetchFromPod = (url: string) => k('exec', pod!, '--', 'sh', '-c', `timeout 3 wget -qO- ${url}`);
    expect(await fetchFromPod(`http://${clusterIP}/`)).toContain('tinykube web: pod=');
    expect(await fetchFromPod('http://myapp-service.default.svc.cluster.local/')).toContain('tinykube web: pod=');
    expect(await fetchFromPod('http://myapp-service/')).toContain('tinykube web: pod=');
    let self = false;
    for (let i = 0; i < 30 && !self; i++) self = (await fetchFromPod(`http://${clusterIP}/`)).includes(`pod=${pod}`);
    expect(self).toBe(true);
  });

  it('ClusterIP → ExternalName frees the address and the name answers through the CNAME from a pod', async () => {
    await k('create', 'service', 'clusterip', 'alias', '--tcp=80:80');
    const aliasIP = await k('get', 'svc', 'alias', '-o', 'jsonpath={.spec.clusterIP}');
    await k('patch', 'svc', 'alias', '--type=merge', '-p',
      JSON.stringify({ spec: { type: 'ExternalName', externalName: 'myapp-service.default.svc.cluster.local', clusterIP: null } }));
    expect(await k('get', 'svc', 'alias', '-o', 'jsonpath={.spec.clusterIP}|{.spec.clusterIPs}|{.spec.ipFamilies}|{.spec.externalName}'))
      .toBe('|||myapp-service.default.svc.cluster.local');
    await k('create', 'service', 'clusterip', 'taker', `--clusterip=${aliasIP}`, '--tcp=80:80');
    const [pod] = await podNames();
    // the pod's resolver gets CNAME + A in one answer (it never follows a CNAME itself)
    await eventually(async () => {
      expect(await k('exec', pod!, '--', 'sh', '-c', 'timeout 3 wget -qO- http://alias/')).toContain('tinykube web: pod=');
    }, { timeoutMs: 20_000, intervalMs: 200 });
    await k('delete', 'svc', 'alias', 'taker');
  });

  it('a pod reaches the pods on the other nodes by their IPs', async () => {
    // one web pod bound to each node (the replicas may share a node), then every pair across nodes
    const nodes = (await k('get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ');
    for (const [i, node] of nodes.entries()) {
      await k('run', `p2p-${i}`, '--image=tinykube/web:1', '--labels=test=p2p', `--overrides={"apiVersion":"v1","spec":{"nodeName":"${node}"}}`);
    }
    const pods = await eventually(async () => {
      const out = (await k('get', 'pods', '-l', 'test=p2p', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.podIP} {.status.phase}{"\\n"}{end}'))
        .split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string, string, string]);
      expect(out.filter((p) => p[3] === 'Running' && p[2])).toHaveLength(nodes.length);
      return out;
    }, { timeoutMs: 60_000, intervalMs: 200 });
    expect(new Set(pods.map((p) => p[1])).size).toBe(3);
    for (const from of pods) {
      for (const to of pods.filter((p) => p[1] !== from[1])) {
        expect(await k('exec', from[0], '--', 'sh', '-c', `timeout 3 wget -qO- http://${to[2]}/`)).toContain(`pod=${to[0]}`);
      }
    }
    await k('delete', 'pods', '-l', 'test=p2p', '--wait=false');
  });

  it('scaled to 0 the ClusterIP and NodePort refuse at once; scaled back they answer', async () => {
    const clusterIP = await k('get', 'svc', 'myapp-service', '-o', 'jsonpath={.spec.clusterIP}');
    const [pod] = await podNames();
    await k('scale', 'deployment', 'myapp-deployment', '--replicas=0');
    await eventually(async () => { expect(await podNames()).toHaveLength(0); }, { timeoutMs: 60_000, intervalMs: 100 });
    await eventually(async () => {
      const r = await get(`http://${nodeIPs[0]}:30008/`);
      expect(r.body).toBe('ERR:ECONNREFUSED');
      expect(r.ms).toBeLessThan(1000);
    }, { timeoutMs: 15_000, intervalMs: 100 });
    // the ClusterIP from a node: a fresh client pod on the cluster
    await k('run', 'client', '--image=tinykube/busybox:1', '--', 'sleep', '3600');
    await eventually(async () => { expect(await k('get', 'pod', 'client', '-o', 'jsonpath={.status.phase}')).toBe('Running'); }, { timeoutMs: 60_000, intervalMs: 100 });
    const t0 = Date.now();
    const refused = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cache, 'exec', 'client', '--', 'sh', '-c', `timeout 3 wget -qO- http://${clusterIP}/; echo rc=$?`], 30_000);
    expect(refused.stdout + refused.stderr).toMatch(/refused|rc=1/);
    expect(refused.stdout).not.toContain('rc=143'); // not the 3 s timeout
    expect(Date.now() - t0).toBeLessThan(5000);
    await k('scale', 'deployment', 'myapp-deployment', '--replicas=3');
    await k('rollout', 'status', 'deployment/myapp-deployment', '--timeout=120s');
    await eventually(async () => { expect((await get(`http://${nodeIPs[1]}:30008/`)).body).toContain('tinykube web: pod='); }, { timeoutMs: 20_000, intervalMs: 100 });
  });

  it('nothing for cluster or service addresses can leave the machine', async () => {
    const cidr = (await k('get', 'svc', 'myapp-service', '-o', 'jsonpath={.spec.clusterIP}')).split('.').slice(0, 2).join('.');
    const podCidr = (await k('get', 'nodes', '-o', 'jsonpath={.items[0].spec.podCIDR}')).split('.').slice(0, 2).join('.');
    // the host: service and cluster ranges end in unreachable routes, never the default route (`ip route get` sends nothing)
    for (const ip of [`${cidr}.250.250`, `${podCidr}.250.250`]) {
      const r = await run('ip', ['route', 'get', ip]);
      expect(r.stdout + r.stderr).toMatch(/unreachable|No route to host|Network is unreachable/);
    }
    // a node: no default route at all, so an outside address has no route
    const ns = `tk-${name}-n1`;
    const out = await run('ip', ['netns', 'exec', ns, 'ip', 'route', 'get', '192.0.2.123']);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/unreachable/i);
    expect((await run('ip', ['netns', 'exec', ns, 'ip', 'route', 'show', 'default'])).stdout.trim()).toBe('');
  });

  it('the node API serves netproxy\'s sync duration in /metrics', async () => {
    const pki = join(dirname(kubeconfig), 'pki');
    const ca = { caCertPem: readFileSync(join(pki, 'ca.crt'), 'utf8'), caKeyPem: readFileSync(join(pki, 'ca.key'), 'utf8') };
    const client = await issueClientCert(ca, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] });
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: nodeIPs[0], port: 10250, path: '/metrics', ca: ca.caCertPem, cert: client.certPem, key: client.keyPem, timeout: 5000 }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => { text += d.toString(); });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    expect(body).toMatch(/netproxy_sync_proxy_rules_duration_seconds_count \d+/);
  });

  it('type LoadBalancer gets the node addresses as external IPs and answers there', async () => {
    await k('expose', 'deployment', 'myapp-deployment', '--name=front', '--type=LoadBalancer', '--port=8080', '--target-port=80');
    let ips: string[] = [];
    await eventually(async () => {
      ips = (await k('get', 'svc', 'front', '-o', 'jsonpath={.status.loadBalancer.ingress[*].ip}')).split(' ').filter(Boolean);
      expect(ips.sort()).toEqual([...nodeIPs].sort());
    }, { timeoutMs: 20_000, intervalMs: 100 });
    expect(await k('get', 'svc', 'front')).not.toContain('<pending>');
    await eventually(async () => { expect((await get(`http://${ips[0]}:8080/`)).body).toContain('tinykube web: pod='); }, { timeoutMs: 20_000, intervalMs: 100 });
  });

  it('cluster down leaves nothing of the cluster on the host', async () => {
    const dataDir = dirname(kubeconfig);
    const runDir = `/run/tinykube/clusters/${name}`;
    if (runtime === 'containerd') {
      // the cluster's own containerds, their shims and mounts exist while it runs
      const during = clusterTraces({ name, dataDir, runDir, nodes: 3 });
      expect(during.processes.filter((p) => p.startsWith('containerd --config'))).toHaveLength(3);
      expect(during.mounts.length).toBeGreaterThan(0);
    }
    const r = await run(process.execPath, [CLI, 'cluster', 'down', '--name', name]);
    expect(r.code, r.stderr).toBe(0);
    down = true;
    expect(clusterTraces({ name, dataDir, runDir, nodes: 3 })).toEqual({ netns: [], links: [], mounts: [], processes: [], cniResults: [], dirs: [], containers: [] });
    expect(hostChains()).toEqual(chainsBefore);
  });
});

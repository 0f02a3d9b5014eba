/**
 * Issue 11 item 2 on a 2-node `tinykube cluster up` (nodes joined as machines would), with the
 * real kubectl: what a pod sees of the API. Its environment has KUBERNETES_SERVICE_HOST/PORT and
 * the link variables of a service created before it; its ServiceAccount directory has token,
 * ca.crt (the cluster CA) and namespace; its token is a JWT naming the pod; and the real kubectl,
 * run inside a pod with its in-cluster configuration, reaches the API server through the
 * `kubernetes` service as the pod's ServiceAccount, which RBAC refuses until a RoleBinding to `view`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CLI } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import type { Run } from '../helpers/control-plane.js';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The static kubectl the host's dispatcher runs for a 1.32 server. */
const KUBECTL_BINARY = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

function run(cmd: string, args: readonly string[], timeoutMs = 180_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const jwtClaims = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('in-cluster access from a pod on a 2-node local cluster', () => {
  const name = `tki${randomBytes(2).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'tk-incluster-'));
  const cache = join(dir, 'cache');
  let kubeconfig = '';
  const k = async (...args: string[]) => {
    const r = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cache, ...args], 60_000);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const inPod = (pod: string, script: string) => k('exec', pod, '--', 'sh', '-c', script);
  const running = async (pod: string) => {
    await eventually(async () => { expect(await k('get', 'pod', pod, '-o', 'jsonpath={.status.phase}')).toBe('Running'); }, { timeoutMs: 90_000, intervalMs: 200 });
  };

  beforeAll(async () => {
    const up = await run(process.execPath, [CLI, 'cluster', 'up', '--name', name, '--nodes', '2']);
    if (up.code !== 0) throw new Error(`cluster up: ${up.stderr}${up.stdout}`);
    kubeconfig = /export KUBECONFIG=(\S+)/.exec(up.stdout)?.[1] ?? '';
    // a service of the namespace that exists before the pod: its link variables are the pod's
    await k('create', 'service', 'clusterip', 'my-db', '--tcp=5432:5432');
    // `plain` mounts no token: its environment does not wait for the token endpoint
    await k('run', 'plain', '--image=tinykube/busybox:1', '--overrides={"spec":{"automountServiceAccountToken":false}}', '--', 'sleep', '3600');
    await k('run', 'probe', '--image=tinykube/busybox:1', '--', 'sleep', '3600');
    await running('plain');
  }, 300_000);
  afterAll(async () => {
    await run(process.execPath, [CLI, 'cluster', 'down', '--name', name]);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('the environment names the kubernetes service and the services created before the pod', async () => {
    const apiIP = await k('get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}');
    const dbIP = await k('get', 'svc', 'my-db', '-o', 'jsonpath={.spec.clusterIP}');
    const env = Object.fromEntries((await inPod('plain', 'env')).split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(env).toMatchObject({
      KUBERNETES_SERVICE_HOST: apiIP, KUBERNETES_SERVICE_PORT: '443', KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: `tcp://${apiIP}:443`, KUBERNETES_PORT_443_TCP: `tcp://${apiIP}:443`, KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443', KUBERNETES_PORT_443_TCP_ADDR: apiIP,
      MY_DB_SERVICE_HOST: dbIP, MY_DB_SERVICE_PORT: '5432', MY_DB_SERVICE_PORT_5432_5432: '5432',
      MY_DB_PORT: `tcp://${dbIP}:5432`, MY_DB_PORT_5432_TCP: `tcp://${dbIP}:5432`, MY_DB_PORT_5432_TCP_ADDR: dbIP,
    });
    // enableServiceLinks: false keeps only the kubernetes service
    await k('run', 'nolinks', '--image=tinykube/busybox:1', '--overrides={"spec":{"enableServiceLinks":false,"automountServiceAccountToken":false}}', '--', 'sleep', '3600');
    await running('nolinks');
    const quiet = await inPod('nolinks', 'env');
    expect(quiet).toContain(`KUBERNETES_SERVICE_HOST=${apiIP}`);
    expect(quiet).not.toContain('MY_DB_');
  });

  it('the ServiceAccount directory holds a token naming the pod, the cluster CA and the namespace', async () => {
    await running('probe');
    const files = (await inPod('probe', `ls ${SA_DIR}`)).split('\n').filter(Boolean).sort();
    expect(files).toEqual(['ca.crt', 'namespace', 'token']);
    expect(await inPod('probe', `cat ${SA_DIR}/namespace`)).toBe('default');
    const ca = readFileSync(join(dirname(kubeconfig), 'pki', 'ca.crt'), 'utf8');
    expect((await inPod('probe', `cat ${SA_DIR}/ca.crt`)).trim()).toBe(ca.trim());
    const claims = jwtClaims(await inPod('probe', `cat ${SA_DIR}/token`));
    const uid = await k('get', 'pod', 'probe', '-o', 'jsonpath={.metadata.uid}');
    expect(claims['sub']).toBe('system:serviceaccount:default:default');
    expect(claims['kubernetes.io']).toMatchObject({ namespace: 'default', pod: { name: 'probe', uid }, serviceaccount: { name: 'default' } });
    // read-only in the container
    const write = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cache, 'exec', 'probe', '--', 'sh', '-c', `echo x > ${SA_DIR}/token`], 30_000);
    expect(write.code).not.toBe(0);
    expect(write.stderr).toMatch(/Read-only file system/);
  });

  it('the real kubectl in a pod uses its in-cluster config: forbidden until a RoleBinding to view exists, then allowed, secrets still not', async () => {
    // kubectl 1.32 (static) from the host, mounted read-only: it finds the API server through
    // KUBERNETES_SERVICE_HOST/PORT, trusts ca.crt and sends the token, as any in-cluster client does
    const overrides = {
      spec: {
        volumes: [{ name: 'kubectl', hostPath: { path: KUBECTL_BINARY, type: 'File' } }],
        containers: [{
          name: 'kc', image: 'tinykube/busybox:1', command: ['sleep', '3600'],
          volumeMounts: [{ name: 'kubectl', mountPath: '/bin/kubectl', readOnly: true }],
        }],
      },
    };
    await k('run', 'kc', '--image=tinykube/busybox:1', `--overrides=${JSON.stringify(overrides)}`);
    await running('kc');
    const inKc = (...args: string[]) => run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cache, 'exec', 'kc', '--', 'kubectl', ...args], 60_000);
    let version: Run = { code: 1, stdout: '', stderr: '' };
    await eventually(async () => { version = await inKc('get', '--raw', '/version'); expect(version.code, version.stderr).toBe(0); }, { timeoutMs: 30_000, intervalMs: 500 });
    expect(JSON.parse(version.stdout)).toMatchObject({ gitVersion: expect.stringMatching(/^v1\./) });
    const whoami = await inKc('auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}');
    expect(whoami.stdout).toBe('system:serviceaccount:default:default');

    const before = await inKc('get', 'pods');
    expect(before.code).not.toBe(0);
    expect(before.stderr).toContain('pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"');
    await k('create', 'rolebinding', 'kc-view', '--clusterrole=view', '--serviceaccount=default:default');
    await eventually(async () => {
      const after = await inKc('get', 'pods', '-o', 'name');
      expect(after.code, after.stderr).toBe(0);
      expect(after.stdout).toContain('pod/kc');
    }, { timeoutMs: 10_000, intervalMs: 200 });
    const secrets = await inKc('get', 'secrets');
    expect(secrets.code).not.toBe(0);
    expect(secrets.stderr).toContain('secrets is forbidden');
    expect((await inKc('auth', 'can-i', 'list', 'pods')).stdout.trim()).toBe('yes');
    expect((await inKc('auth', 'can-i', 'get', 'secrets')).stdout.trim()).toBe('no');
  });
});

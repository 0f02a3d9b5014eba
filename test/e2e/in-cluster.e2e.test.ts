/**
 * Issue 11 item 2 on a 2-node `tinykube cluster up` (nodes joined as machines would), with the
 * real kubectl: what a pod sees of the API. Its environment has KUBERNETES_SERVICE_HOST/PORT and
 * the link variables of a service created before it; its ServiceAccount directory has token,
 * ca.crt (the cluster CA) and namespace; its token is a JWT naming the pod; and busybox reaches
 * the API server at the `kubernetes` service (https://<cluster IP>:443) with that token.
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

  it('busybox reaches the API server at the kubernetes service with its token', async () => {
    await running('probe');
    const apiIP = await k('get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}');
    const script = `timeout 5 wget -qO- --no-check-certificate --header "Authorization: Bearer $(cat ${SA_DIR}/token)" https://${apiIP}:443/version`;
    let body = '';
    await eventually(async () => { body = await inPod('probe', script); }, { timeoutMs: 20_000, intervalMs: 500 });
    expect(JSON.parse(body)).toMatchObject({ gitVersion: expect.stringMatching(/^v1\./) });
    // the same through the service's name, and from the pod's environment
    const byName = await inPod('probe', `timeout 5 wget -qO- --no-check-certificate --header "Authorization: Bearer $(cat ${SA_DIR}/token)" https://kubernetes.default.svc/version`);
    expect(JSON.parse(byName)).toMatchObject({ gitVersion: expect.any(String) });
  });
});

/**
 * Issue 10 item 7 with real Docker and the real kubectl: the agent enforces securityContext as the
 * kubelet does. Pods report what the kernel gives them: `id` for the user and groups, a write to
 * the root filesystem, CapEff/NoNewPrivs from /proc/self/status, the host's PID and IPC namespaces;
 * runAsNonRoot over a root image is a CreateContainerConfigError with the kubelet's message; an
 * image's USER is kept when the pod names no user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { TestAgent } from '../helpers/test-agent.js';

const run = promisify(execFile);
/** Runs until SIGTERM, then exits at once (busybox sleep as PID 1 would wait for SIGKILL). */
const IDLE = ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"];
const CAP_SYS_ADMIN = 21n;
const CAP_NET_ADMIN = 12n;

describe('securityContext on Docker, driven by kubectl', () => {
  const cp = new TestControlPlane({ extraArgs: ['--cluster-cidr', '10.247.0.0/16'] });
  let agent: TestAgent;
  const userImage = `tinykube/e2e-user-${Date.now().toString(36)}:1`;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-user-image-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), 'FROM tinykube/busybox:1\nUSER 1234:2345\n');
      await run('docker', ['build', '-q', '-t', userImage, dir], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await cp.start();
    agent = new TestAgent(cp);
    await agent.start();
  }, 120_000);
  afterAll(async () => {
    await agent?.destroy();
    await cp.destroy();
    await run('docker', ['rmi', '-f', userImage]).catch(() => undefined); // never built: nothing to remove
  });

  const apply = async (name: string, spec: Omit<PodSpec, 'containers'> & { containers: Container[] }) => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { terminationGracePeriodSeconds: 2, ...spec } };
    await cp.k('apply', '-f', cp.manifest(`${name}.json`, JSON.stringify(pod)));
  };
  const jp = (name: string, path: string) => cp.k('get', 'pod', name, '-o', `jsonpath={${path}}`);
  const running = (name: string) => eventually(async () => { expect(await jp(name, '.status.phase')).toBe('Running'); }, { timeoutMs: 40_000, intervalMs: 200 });
  const exec = async (pod: string, container: string, ...cmd: string[]) => cp.kubectl(['exec', pod, '-c', container, '--', ...cmd]);
  const out = async (pod: string, container: string, ...cmd: string[]) => {
    const r = await exec(pod, container, ...cmd);
    expect(r.code, `${cmd.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };
  const capEff = async (pod: string, container: string): Promise<bigint> =>
    BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(await out(pod, container, 'cat', '/proc/self/status'))?.[1] ?? 'x'}`);

  it('runAsUser, runAsGroup, supplementalGroups and fsGroup are the ids the container gets', async () => {
    await apply('ids', {
      securityContext: { runAsUser: 1234, runAsGroup: 2345, fsGroup: 3456, supplementalGroups: [4567] },
      containers: [{ name: 'pod', image: 'tinykube/busybox:1', command: IDLE }, { name: 'own', image: 'tinykube/busybox:1', command: IDLE, securityContext: { runAsUser: 1001 } }],
    });
    await running('ids');
    expect(await out('ids', 'pod', 'id', '-u')).toBe('1234');
    expect(await out('ids', 'pod', 'id', '-g')).toBe('2345');
    expect((await out('ids', 'pod', 'id', '-G')).split(' ').sort()).toEqual(['2345', '3456', '4567']);
    expect(await out('ids', 'own', 'id', '-u')).toBe('1001'); // the container's field wins over the pod's
    expect(await out('ids', 'own', 'id', '-g')).toBe('2345');
  });

  it('readOnlyRootFilesystem: writing / fails, an emptyDir stays writable', async () => {
    await apply('rofs', {
      volumes: [{ name: 'scratch', emptyDir: {} }],
      containers: [{ name: 'c', image: 'tinykube/busybox:1', command: IDLE, securityContext: { readOnlyRootFilesystem: true }, volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }],
    });
    await running('rofs');
    const root = await exec('rofs', 'c', 'touch', '/x');
    expect(root.code).not.toBe(0);
    expect(root.stderr).toContain('Read-only file system');
    expect((await exec('rofs', 'c', 'touch', '/scratch/x')).code).toBe(0);
  });

  it('capabilities: drop ALL leaves none (chown fails as root), add NET_ADMIN / SYS_ADMIN gives them; no_new_privs', async () => {
    await apply('caps', {
      containers: [
        { name: 'none', image: 'tinykube/busybox:1', command: IDLE, securityContext: { capabilities: { drop: ['ALL'] } } },
        { name: 'netadmin', image: 'tinykube/busybox:1', command: IDLE, securityContext: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } } },
        { name: 'plain', image: 'tinykube/busybox:1', command: IDLE },
        // privileged is left out: Docker gives it every capability, and this host lacks CAP_SYS_RESOURCE (runc fails)
        { name: 'sysadmin', image: 'tinykube/busybox:1', command: IDLE, securityContext: { capabilities: { add: ['SYS_ADMIN'] } } },
        { name: 'nnp', image: 'tinykube/busybox:1', command: IDLE, securityContext: { allowPrivilegeEscalation: false } },
      ],
    });
    await running('caps');
    expect(await capEff('caps', 'none')).toBe(0n);
    const chown = await exec('caps', 'none', 'chown', '1', '/tmp');
    expect(chown.code).not.toBe(0);
    expect(chown.stderr).toContain('Operation not permitted');
    expect(await capEff('caps', 'netadmin')).toBe(1n << CAP_NET_ADMIN);
    expect((await capEff('caps', 'plain')) & (1n << CAP_NET_ADMIN)).toBe(0n);
    expect((await capEff('caps', 'plain')) & (1n << CAP_SYS_ADMIN)).toBe(0n);
    expect((await capEff('caps', 'sysadmin')) & (1n << CAP_SYS_ADMIN)).toBe(1n << CAP_SYS_ADMIN);
    expect(await out('caps', 'nnp', 'grep', 'NoNewPrivs', '/proc/self/status')).toMatch(/NoNewPrivs:\s*1/);
    expect(await out('caps', 'plain', 'grep', 'NoNewPrivs', '/proc/self/status')).toMatch(/NoNewPrivs:\s*0/);
  });

  it('runAsNonRoot with an image that runs as root: CreateContainerConfigError with the kubelet message', async () => {
    await apply('nonroot', { containers: [{ name: 'c', image: 'tinykube/busybox:1', command: IDLE, securityContext: { runAsNonRoot: true } }] });
    const uid = await jp('nonroot', '.metadata.uid');
    await eventually(async () => {
      expect(await jp('nonroot', '.status.containerStatuses[0].state.waiting.reason')).toBe('CreateContainerConfigError');
    }, { timeoutMs: 30_000, intervalMs: 200 });
    expect(await jp('nonroot', '.status.containerStatuses[0].state.waiting.message'))
      .toBe(`container has runAsNonRoot and image will run as root (pod: "nonroot_default(${uid})", container: c)`);
    expect((await agent.containers()).filter((c) => c.name.includes('_nonroot_') && !c.name.startsWith('k8s_POD_'))).toEqual([]);
  });

  it("the image's USER is kept when the pod names no user, and passes runAsNonRoot", async () => {
    await apply('imageuser', { securityContext: { runAsNonRoot: true }, containers: [{ name: 'c', image: userImage, imagePullPolicy: 'Never', command: IDLE }] });
    await running('imageuser');
    expect(await out('imageuser', 'c', 'id', '-u')).toBe('1234');
    expect(await out('imageuser', 'c', 'id', '-g')).toBe('2345');
  });

  it("hostPID sees the host's PID 1, hostIPC the host's IPC namespace; a plain pod sees neither", async () => {
    await apply('hostns', { hostPID: true, hostIPC: true, containers: [{ name: 'c', image: 'tinykube/busybox:1', command: IDLE }] });
    await apply('podns', { containers: [{ name: 'c', image: 'tinykube/busybox:1', command: IDLE }] });
    await running('hostns');
    await running('podns');
    const hostInit = readFileSync('/proc/1/comm', 'utf8').trim();
    const hostIpc = readlinkSync('/proc/self/ns/ipc');
    expect(await out('hostns', 'c', 'cat', '/proc/1/comm')).toBe(hostInit);
    expect(await out('hostns', 'c', 'readlink', '/proc/self/ns/ipc')).toBe(hostIpc);
    expect(await out('podns', 'c', 'cat', '/proc/1/comm')).not.toBe(hostInit);
    expect(await out('podns', 'c', 'readlink', '/proc/self/ns/ipc')).not.toBe(hostIpc);
  });

  it("shareProcessNamespace: a container sees its sibling's processes", async () => {
    await apply('sharedpid', { shareProcessNamespace: true, containers: [
      { name: 'a', image: 'tinykube/busybox:1', command: ['sh', '-c', "trap 'exit 0' TERM; sleep 3601 & wait"] },
      { name: 'b', image: 'tinykube/busybox:1', command: IDLE },
    ] });
    await running('sharedpid');
    expect(await out('sharedpid', 'b', 'ps', '-o', 'args')).toContain('sleep 3601');
    expect(await out('podns', 'c', 'ps', '-o', 'args')).not.toContain('sleep 3601');
  });
});

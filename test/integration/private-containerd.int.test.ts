/**
 * The private containerd test fixture itself (test/helpers/private-containerd.ts): it starts from the
 * one config renderer, answers over its own socket (ctr and the real crictl), holds the test images in
 * k8s.io as CRI sees them, runs a pod on its own bridge (also inside a netns), renders its CNI
 * template on UpdateRuntimeConfig, and stop() leaves no process, mount, bridge or dir.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderConflist } from '../../cri/cni/conflist.js';
import { CriClient } from '../../cri/remote/cri-client.js';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import { crictlBinary } from '../helpers/cri-tools.js';
import { mountsUnder, startPrivateContainerd, TEST_IMAGE_FILES, type PrivateContainerd } from '../helpers/private-containerd.js';

const runner = new ProcessRunner();
const NAME = 'tk-pc-selftest';

describe('startPrivateContainerd', () => {
  let c: PrivateContainerd;
  const crictl = crictlBinary();
  const cri = async (...args: string[]): Promise<string> => (await runner.run(crictl!, ['-r', `unix://${c.address}`, '-t', '10s', ...args])).stdout;

  beforeAll(async () => {
    c = await startPrivateContainerd({ name: NAME, podCidr: '10.251.7.0/24' });
  }, 60_000);
  afterAll(async () => { await c?.stop(); }, 60_000);

  it('answers on its own socket, with its own root and state', async () => {
    const v = (await runner.run('ctr', ['--address', c.address, 'version'])).stdout;
    expect(v).toMatch(/Server:\s+Version:\s+1\.6/);
    expect(c.endpoint).toBe(`containerd://${c.address}`);
    expect(readFileSync(`/proc/${c.pid}/cmdline`, 'utf8').split('\0')).toContain(`${c.configDir}/config.toml`);
  });

  it('serves CRI v1 to the real crictl, with the test images in k8s.io under their docker.io names', async () => {
    expect(crictl).toBeDefined();
    expect(await cri('version')).toMatch(/RuntimeName:\s+containerd[\s\S]*RuntimeApiVersion:\s+v1/);
    const images = await cri('images');
    for (const img of ['docker.io/tinykube/pause', 'docker.io/tinykube/busybox', 'docker.io/tinykube/web']) expect(images).toContain(img);
    const info = JSON.parse(await cri('info')) as { status: { conditions: Array<{ type: string; status: boolean }> } };
    expect(info.status.conditions.every((cond) => cond.status)).toBe(true);
  });

  it('runs a pod on its own bridge and host-local pool', async () => {
    const dir = `/var/lib/tinykube-test/${NAME}`;
    const pod = `${dir}/pod.json`;
    const ctrFile = `${dir}/ctr.json`;
    await writeFile(pod, JSON.stringify({ metadata: { name: 'pc-pod', namespace: 'default', uid: 'pc-uid-1', attempt: 0 }, log_directory: `${dir}/logs`, linux: {} }));
    await writeFile(ctrFile, JSON.stringify({ metadata: { name: 'web' }, image: { image: 'docker.io/tinykube/web:1' }, log_path: 'web.log', linux: {} }));
    const podId = (await cri('runp', pod)).trim();
    const ctrId = (await cri('create', podId, ctrFile, pod)).trim();
    await cri('start', ctrId);
    const status = JSON.parse(await cri('inspectp', podId)) as { status: { network: { ip: string } } };
    expect(status.status.network.ip).toMatch(/^10\.251\.7\.\d+$/);
    expect((await runner.run('ip', ['-o', 'addr', 'show', 'dev', c.bridge])).stdout).toContain('10.251.7.1/24');
    // left running on purpose: stop() must take the pod down (CNI DEL) and its shim with it
  }, 60_000);

  it('stop() leaves no process, no mount, no bridge and no dir', async () => {
    const { address, pid, root, state, bridge } = c;
    await c.stop();
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    const shims = (await runner.run('ps', ['-eo', 'args'])).stdout.split('\n').filter((l) => l.includes(address));
    expect(shims).toEqual([]);
    expect(mountsUnder([root, state, `/run/tinykube-test/${NAME}`, `/var/lib/tinykube-test/${NAME}`])).toEqual([]);
    expect(existsSync(`/var/lib/tinykube-test/${NAME}`)).toBe(false);
    expect(existsSync(`/run/tinykube-test/${NAME}`)).toBe(false);
    expect(await runner.run('ip', ['link', 'show', bridge]).then(() => true, () => false)).toBe(false);
    await c.stop(); // idempotent
  }, 60_000);
});

describe('startPrivateContainerd in a network namespace', () => {
  const NS = 'tk-pc-selftest-ns';
  const NAME2 = 'tk-pc-selftest-ns';
  let c: PrivateContainerd | undefined;
  const crictl = crictlBinary();

  beforeAll(async () => {
    await runner.run('ip', ['netns', 'add', NS]);
    await runner.run('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
  });
  afterAll(async () => {
    await c?.stop();
    await runner.run('ip', ['netns', 'del', NS]).catch(() => undefined);
  }, 60_000);

  it('puts its pods\' bridge in that namespace, not on the host, and cleans up there', async () => {
    c = await startPrivateContainerd({ name: NAME2, netns: NS, podCidr: '10.251.8.0/24', images: [TEST_IMAGE_FILES[0]!] });
    const dir = `/var/lib/tinykube-test/${NAME2}`;
    await writeFile(`${dir}/pod.json`, JSON.stringify({ metadata: { name: 'pc-ns-pod', namespace: 'default', uid: 'pc-uid-2', attempt: 0 }, log_directory: `${dir}/logs`, linux: {} }));
    const podId = (await runner.run(crictl!, ['-r', `unix://${c.address}`, '-t', '20s', 'runp', `${dir}/pod.json`])).stdout.trim();
    expect(podId).toMatch(/^[0-9a-f]{64}$/);
    expect((await runner.run('ip', ['-n', NS, '-o', 'addr', 'show', 'dev', c.bridge])).stdout).toContain('10.251.8.1/24');
    expect(await runner.run('ip', ['link', 'show', c.bridge]).then(() => true, () => false)).toBe(false);
    const { pid, bridge, address } = c;
    await c.stop();
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect((await runner.run('ps', ['-eo', 'args'])).stdout.split('\n').filter((l) => l.includes(address))).toEqual([]);
    expect(await runner.run('ip', ['-n', NS, 'link', 'show', bridge]).then(() => true, () => false)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(`/run/tinykube-test/${NAME2}`)).toBe(false);
  }, 90_000);
});

describe('startPrivateContainerd without a podCIDR', () => {
  let c: PrivateContainerd | undefined;

  afterAll(async () => { await c?.stop(); }, 60_000);

  it('renders its CNI template on UpdateRuntimeConfig into the network the Docker nodes get', async () => {
    c = await startPrivateContainerd({ name: 'tk-pc-selftest-tpl', firewall: false, images: [TEST_IMAGE_FILES[0]!] });
    const client = new CriClient(c.address);
    try {
      const conditions = async (): Promise<Record<string, boolean>> => {
        const s = await client.unary<{ status: { conditions: Array<{ type: string; status: boolean }> } }>('runtime', 'Status', {}, { timeoutMs: 5_000, what: 'status' });
        return Object.fromEntries(s.status.conditions.map((x) => [x.type, x.status]));
      };
      expect(await conditions()).toEqual({ RuntimeReady: true, NetworkReady: false });
      await client.unary('runtime', 'UpdateRuntimeConfig', { runtime_config: { network_config: { pod_cidr: '10.251.9.0/24' } } }, { timeoutMs: 5_000, what: 'update runtime config' });
      const rendered = JSON.parse(await readFile(`${c.configDir}/net.d/10-containerd-net.conflist`, 'utf8')) as unknown;
      const docker = renderConflist({ name: 'tk-tk-pc-selftest-tpl', bridge: c.bridge, dataDir: c.cniDataDir, firewall: false, subnet: '10.251.9.0/24' });
      delete (docker.plugins[0]!['ipam'] as { ranges: Array<Array<{ gateway?: string }>> }).ranges[0]![0]!.gateway; // host-local's default: the same .1
      expect(rendered).toEqual(docker);
      const deadline = Date.now() + 10_000;
      while (!(await conditions())['NetworkReady'] && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(await conditions()).toEqual({ RuntimeReady: true, NetworkReady: true });
      // the trap for whoever changes a node's podCIDR: once a CNI config loads, containerd 1.6 skips
      // its template, so the rendered file must be removed first
      await client.unary('runtime', 'UpdateRuntimeConfig', { runtime_config: { network_config: { pod_cidr: '10.251.10.0/24' } } }, { timeoutMs: 5_000, what: 'update runtime config' });
      expect(await readFile(`${c.configDir}/net.d/10-containerd-net.conflist`, 'utf8')).toContain('10.251.9.0/24');
    } finally {
      client.close();
    }
  }, 60_000);
});

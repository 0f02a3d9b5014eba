import { describe, expect, it } from 'vitest';
import { FakeRunner, fail, notFound } from '../../lib/exec/fake-runner.js';
import { checkIptables, checkKernel, checkPorts, checkRoutes, checkRuntime, checkTools, overlaps, runChecks } from './checks.js';
import type { DoctorOptions, Probe } from './checks.js';
import type { CriAnswer } from './types.js';

/** A machine described by tables: files, command outputs, docker, ports in use. */
function fakeProbe(o: {
  files?: Record<string, string>; commands?: Record<string, { code?: number; stdout?: string; stderr?: string }>;
  docker?: { version: string; apiVersion: string } | { error: string }; busyPorts?: number[]; root?: boolean; kernelConfig?: string;
  cri?: CriAnswer | { error: string };
}): Probe {
  return {
    isRoot: () => o.root ?? true,
    read: async (path) => o.files?.[path],
    exists: async (path) => path in (o.files ?? {}),
    exec: new FakeRunner((line) => {
      if (line.startsWith('cat ')) {
        const text = o.files?.[line.slice(4)];
        if (text === undefined) throw fail(line, `cat: ${line.slice(4)}: No such file or directory`, 1);
        return text;
      }
      const key = Object.keys(o.commands ?? {}).find((k) => line.startsWith(k));
      if (key === undefined) throw notFound(line);
      return o.commands?.[key];
    }),
    docker: async () => o.docker ?? { error: 'connect ENOENT' },
    cri: async () => o.cri ?? { error: 'connect ENOENT' },
    portFree: async (port) => !(o.busyPorts ?? []).includes(port),
    kernelConfig: async () => o.kernelConfig,
  };
}

const OPTS: DoctorOptions = {
  runtimeEndpoint: 'docker:///var/run/docker.sock', clusterCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/12',
  ports: [{ port: 6443, what: 'the API server' }, { port: 10250, what: 'the node API' }], ownPids: [],
};

describe('doctor checks', () => {
  it('a ready machine passes every check', async () => {
    const files: Record<string, string> = {
      '/proc/self/ns/net': '', '/proc/sys/net/ipv4/ip_forward': '1\n', '/sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory pids\n',
      '/var/run/docker.sock': '', '/proc/net/ip_tables_names': '',
    };
    for (const m of ['bridge', 'br_netfilter', 'veth', 'nf_conntrack', 'nf_nat']) files[`/sys/module/${m}`] = '';
    for (const c of ['bridge', 'host-local', 'portmap', 'loopback']) files[`/usr/lib/cni/${c}`] = '';
    const probe = fakeProbe({
      files, docker: { version: '20.10.24', apiVersion: '1.41' },
      commands: {
        'iptables --version': { stdout: 'iptables v1.8.9 (nf_tables)\n' }, 'iptables-nft-restore': {}, 'ip -V': {}, 'conntrack': {}, 'busybox': {}, 'kubectl': {},
        'ip -j route': { stdout: JSON.stringify([{ dst: 'default', gateway: '192.0.2.1', dev: 'eth0' }, { dst: '192.0.2.0/24', dev: 'eth0', protocol: 'kernel' }]) },
      },
    });
    const results = await runChecks(probe, OPTS);
    expect(results.filter((r) => r.verdict !== 'ok')).toEqual([]);
    expect(results.map((r) => r.name)).toContain('runtime');
  });

  it('fails on a missing runtime, missing CNI plugins and a busy port; warns on optional tools', async () => {
    expect((await checkRuntime(fakeProbe({}), OPTS.runtimeEndpoint))[0]!.detail).toMatch(/no socket \/var\/run\/docker.sock: start dockerd/);
    expect((await checkRuntime(fakeProbe({ files: { '/var/run/docker.sock': '' } }), OPTS.runtimeEndpoint))[0]!.verdict).toBe('fail');
    expect((await checkRuntime(fakeProbe({}), 'containerd:///run/containerd/containerd.sock'))[0]!.detail).toMatch(/no socket \/run\/containerd\/containerd.sock: start containerd/);
    const tools = await checkTools(fakeProbe({ files: { '/usr/lib/cni/bridge': '' }, commands: { 'ip -V': {} } }));
    expect(tools[0]).toMatchObject({ verdict: 'fail', detail: expect.stringContaining('host-local, portmap, loopback') });
    expect(tools.find((t) => t.name === 'kubectl')?.verdict).toBe('warn');
    const ports = await checkPorts(fakeProbe({ busyPorts: [6443] }), OPTS);
    expect(ports.map((p) => p.verdict)).toEqual(['fail', 'ok']);
    expect((await checkPorts(fakeProbe({ busyPorts: [6443] }), { ...OPTS, ownPids: [42] }))[0]?.detail).toMatch(/running tinykube \(pid 42\)/);
  });

  it('a route of someone else inside the service CIDR fails; ours (tk links, proto 77, unreachable) do not', async () => {
    const routes = [
      { dst: '10.96.5.0/24', dev: 'wg0' }, { dst: '10.244.1.0/24', dev: 'eth1', protocol: '77' },
      { dst: '10.244.0.0/24', dev: 'tk0' }, { dst: '10.96.0.0/12', type: 'unreachable' },
    ];
    const r = await checkRoutes(fakeProbe({ commands: { 'ip -j route': { stdout: JSON.stringify(routes) } } }), OPTS);
    expect(r.map((x) => [x.name, x.verdict])).toEqual([['default route', 'ok'], ['cluster CIDR', 'ok'], ['service CIDR', 'fail']]);
    expect(r[2]?.detail).toMatch(/overlaps 10.96.5.0\/24 dev wg0: choose another with --service-cidr/);
  });

  it('kernel features: loaded modules or the kernel config; missing ones fail, unknowable ones warn', async () => {
    const cfg = 'CONFIG_BRIDGE=y\nCONFIG_BRIDGE_NETFILTER=m\nCONFIG_VETH=y\nCONFIG_NF_CONNTRACK=y\n# CONFIG_NF_NAT is not set\n';
    expect((await checkKernel(fakeProbe({ kernelConfig: cfg })))[0]).toMatchObject({ verdict: 'fail', detail: 'not in this kernel: nf_nat' });
    expect((await checkKernel(fakeProbe({ kernelConfig: cfg, files: { '/sys/module/nf_nat': '' } })))[0]?.verdict).toBe('ok');
    expect((await checkKernel(fakeProbe({ files: { '/sys/module/bridge': '' } })))[0]).toMatchObject({ verdict: 'warn', detail: expect.stringMatching(/^cannot confirm br_netfilter, veth/) });
  });

  it('iptables: warns when the other backend holds rules, fails without iptables', async () => {
    const both = fakeProbe({
      files: { '/proc/net/ip_tables_names': 'filter\n' },
      commands: { 'iptables --version': { stdout: 'iptables v1.8.9 (nf_tables)\n' }, 'iptables-nft-restore': {}, 'iptables-legacy-save': { stdout: '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n' } },
    });
    expect(await checkIptables(both)).toMatchObject({ verdict: 'warn', detail: expect.stringContaining('1 rules also in iptables-legacy') });
    expect((await checkIptables(fakeProbe({}))).verdict).toBe('fail');
  });

  it('overlaps', () => {
    expect(overlaps('10.96.0.0/12', '10.100.0.0/16')).toBe(true);
    expect(overlaps('10.96.0.0/12', '10.112.0.0/16')).toBe(false);
    expect(overlaps('10.244.3.7', '10.244.0.0/16')).toBe(true);
  });
});

describe('doctor on a containerd endpoint', () => {
  const SOCK = '/run/tk-doc/containerd.sock';
  const EP = `containerd://${SOCK}`;
  const CTR = `ctr --connect-timeout 3s --address ${SOCK}`;
  const VERSION = 'Client:\n  Version:  1.6.20~ds1\n\nServer:\n  Version:  1.6.20~ds1\n  Revision: x\n';
  const plugins = (cri: string): string => `TYPE                            ID                       PLATFORMS      STATUS    \n`
    + `io.containerd.snapshotter.v1    overlayfs                linux/amd64    ok        \n${cri}`;
  const CRI_OK = 'io.containerd.grpc.v1           cri                      linux/amd64    ok        \n';
  const READY: CriAnswer = { runtimeName: 'containerd', runtimeVersion: '1.6.20~ds1', apiVersion: 'v1', conditions: { RuntimeReady: true, NetworkReady: true } };
  const probe = (commands: Record<string, { code?: number; stdout?: string; stderr?: string }>, cri: CriAnswer | { error: string } = READY): Probe =>
    fakeProbe({ files: { [SOCK]: '' }, commands, cri });

  it('says ok to a containerd that answers, has its CRI plugin and the sandbox image', async () => {
    const r = await checkRuntime(probe({
      [`${CTR} version`]: { stdout: VERSION }, [`${CTR} plugins ls`]: { stdout: plugins(CRI_OK) },
      [`${CTR} -n k8s.io images ls -q name==docker.io/tinykube/pause:1`]: { stdout: 'docker.io/tinykube/pause:1\n' },
    }), EP);
    expect(r).toEqual([
      { name: 'runtime', verdict: 'ok', detail: `containerd 1.6.20~ds1 at ${SOCK}` },
      { name: 'CRI plugin', verdict: 'ok', detail: 'CRI v1: containerd 1.6.20~ds1' },
      { name: 'CRI status', verdict: 'ok', detail: 'runtime and network ready' },
      { name: 'sandbox image', verdict: 'ok', detail: 'docker.io/tinykube/pause:1 in namespace k8s.io' },
    ]);
  });

  it('fails when it does not answer, without asking further', async () => {
    const r = await checkRuntime(probe({ [`${CTR} version`]: { code: 1, stderr: `ctr: failed to dial "${SOCK}": context deadline exceeded\n` } }), EP);
    expect(r).toEqual([{ name: 'runtime', verdict: 'fail', detail: `containerd at ${SOCK} does not answer: failed to dial "${SOCK}": context deadline exceeded` }]);
  });

  it('fails on a CRI plugin that is absent or refused its config, and on a missing sandbox image with the command that imports it', async () => {
    const images = { [`${CTR} -n k8s.io images ls -q`]: { stdout: '' } };
    const absent = await checkRuntime(probe({ [`${CTR} version`]: { stdout: VERSION }, [`${CTR} plugins ls`]: { stdout: plugins('') }, ...images }), EP);
    expect(absent.map((x) => [x.name, x.verdict])).toEqual([['runtime', 'ok'], ['CRI plugin', 'fail'], ['sandbox image', 'fail']]);
    expect(absent[1]!.detail).toMatch(/not in this containerd/);
    expect(absent[2]!.detail).toBe(`docker.io/tinykube/pause:1 is not in namespace k8s.io: tinykube image build-test --runtime-endpoint ${EP}`);
    const refused = await checkRuntime(probe({
      [`${CTR} version`]: { stdout: VERSION }, [`${CTR} plugins ls`]: { stdout: plugins(CRI_OK.replace('ok  ', 'error')) }, ...images,
    }), EP);
    expect(refused[1]).toEqual({ name: 'CRI plugin', verdict: 'fail', detail: "error: containerd refused its config (see containerd's log)" });
  });

  it('warns while no CNI config is loaded, fails when CRI does not answer or the runtime is not ready', async () => {
    const commands = {
      [`${CTR} version`]: { stdout: VERSION }, [`${CTR} plugins ls`]: { stdout: plugins(CRI_OK) },
      [`${CTR} -n k8s.io images ls -q`]: { stdout: 'docker.io/tinykube/pause:1\n' },
    };
    const noNet = await checkRuntime(probe(commands, { ...READY, conditions: { RuntimeReady: true, NetworkReady: false } }), EP);
    expect(noNet[2]).toEqual({ name: 'CRI status', verdict: 'warn', detail: 'runtime ready; no CNI config loaded yet (the agent sends the podCIDR when it starts)' });
    const notReady = await checkRuntime(probe(commands, { ...READY, conditions: { RuntimeReady: false, NetworkReady: false } }), EP);
    expect(notReady[2]).toEqual({ name: 'CRI status', verdict: 'fail', detail: 'not ready: RuntimeReady' });
    const silent = await checkRuntime(probe(commands, { error: 'version: deadline exceeded' }), EP);
    expect(silent.map((x) => [x.name, x.verdict])).toEqual([['runtime', 'ok'], ['CRI plugin', 'fail'], ['sandbox image', 'ok']]);
    expect(silent[1]!.detail).toBe('loaded, but CRI v1 does not answer: version: deadline exceeded');
  });

  it('says ctr is missing when it is', async () => {
    const r = await checkRuntime(probe({}), EP);
    expect(r[0]).toEqual({ name: 'runtime', verdict: 'fail', detail: `containerd at ${SOCK} does not answer: ctr is not installed (apt-get install containerd)` });
  });
});

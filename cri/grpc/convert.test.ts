import type { MethodDefinition } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import type {
  AuthConfig, Container, ContainerConfig, ContainerStats, ContainerStatus, FilesystemUsage, Image, PodSandbox,
  PodSandboxConfig, PodSandboxStats, PodSandboxStatus, RuntimeCondition, RuntimeEvent,
} from '../types.js';
import * as c from './convert.js';
import { loadCriServices } from './load.js';

type Side = 'request' | 'response';
/** Encodes `obj` as the real protobuf bytes of an RPC's request or response and decodes it back (LOADER_OPTIONS). */
function viaWire(service: 'runtime' | 'image', method: string, side: Side, obj: object): Record<string, unknown> {
  const s = loadCriServices();
  const def = (service === 'runtime' ? s.runtimeService : s.imageService)[method] as MethodDefinition<object, object> | undefined;
  if (def === undefined) throw new Error(`no method ${method}`);
  const bytes = side === 'request' ? def.requestSerialize(obj) : def.responseSerialize(obj);
  return (side === 'request' ? def.requestDeserialize(bytes) : def.responseDeserialize(bytes)) as Record<string, unknown>;
}

const NS = 1_764_900_000_123_456_000; // a 2025 time in ns, above 2^53

const sandboxConfig: PodSandboxConfig = {
  metadata: { name: 'web', uid: 'u-1', namespace: 'default', attempt: 2 },
  hostname: 'web', logDirectory: '/var/log/pods/default_web_u-1',
  dnsConfig: { servers: ['10.96.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] },
  portMappings: [{ protocol: 'TCP', containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1' }, { protocol: 'UDP', containerPort: 53 }],
  labels: { app: 'web' }, annotations: { 'kubernetes.io/config.seen': 'x' },
  linux: {
    cgroupParent: '/kubepods/podu-1', sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
    securityContext: {
      namespaceOptions: { pid: 'POD', ipc: 'NODE' }, runAsUser: 0, runAsGroup: 3000, readonlyRootfs: true,
      supplementalGroups: [1, 2], privileged: true, seccomp: { profileType: 'RuntimeDefault' },
      apparmor: { profileType: 'Localhost', localhostRef: 'k8s-profile' }, selinuxOptions: { user: 'u', role: 'r', type: 't', level: 's0' },
    },
  },
};

const containerConfig: ContainerConfig = {
  metadata: { name: 'app', attempt: 1 }, image: { image: 'tinykube/busybox:1' },
  command: ['sh', '-c'], args: ['echo hi'], workingDir: '/tmp', envs: [{ key: 'FOO', value: 'bar baz=1' }],
  mounts: [
    { containerPath: '/data', hostPath: '/tmp/data', readonly: true, propagation: 'PROPAGATION_HOST_TO_CONTAINER', selinuxRelabel: true },
    { containerPath: '/b', hostPath: '/tmp/b', propagation: 'PROPAGATION_BIDIRECTIONAL' },
    { containerPath: '/c', hostPath: '/tmp/c' },
  ],
  devices: [{ containerPath: '/dev/xx', hostPath: '/dev/null', permissions: 'rwm' }],
  labels: { 'io.kubernetes.container.name': 'app' }, annotations: { a: 'b' }, logPath: 'app/1.log',
  stdin: true, stdinOnce: true, tty: true,
  linux: {
    resources: {
      cpuPeriod: 100000, cpuQuota: 50000, cpuShares: 512, memoryLimitInBytes: 64 * 1024 * 1024, oomScoreAdj: 999,
      cpusetCpus: '0', cpusetMems: '0', memorySwapLimitInBytes: 128 * 1024 * 1024,
      hugepageLimits: [{ pageSize: '2MB', limit: 0 }], unified: { 'memory.high': '1000' },
    },
    securityContext: {
      capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'], addAmbientCapabilities: ['NET_RAW'] },
      privileged: true, namespaceOptions: { pid: 'NODE' }, runAsUser: 1000, runAsGroup: 0, runAsUsername: 'nobody',
      readonlyRootfs: true, supplementalGroups: [5], noNewPrivs: true, maskedPaths: ['/proc/kcore'], readonlyPaths: ['/proc/sys'],
      seccomp: { profileType: 'Unconfined' }, apparmor: { profileType: 'RuntimeDefault' }, selinuxOptions: { user: '', role: '', type: 'spc_t', level: '' },
    },
  },
};

const sandbox: PodSandbox = {
  id: 'sb1', metadata: sandboxConfig.metadata, state: 'SANDBOX_NOTREADY', createdAt: NS, labels: { a: '1' }, annotations: { b: '2' },
  runtimeHandler: 'runc',
};
const sandboxStatus: PodSandboxStatus = { ...sandbox, network: { ip: '10.88.0.5', additionalIps: ['fd00::5'] } };
const container: Container = {
  id: 'c1', podSandboxId: 'sb1', metadata: { name: 'app', attempt: 0 }, image: { image: 'tinykube/busybox:1' },
  imageRef: 'sha256:abc', state: 'CONTAINER_RUNNING', createdAt: NS, labels: {}, annotations: { x: 'y' },
};
const containerStatus: ContainerStatus = {
  ...container, podSandboxId: '', state: 'CONTAINER_EXITED', startedAt: NS + 1000, finishedAt: NS + 2000, exitCode: 137,
  reason: 'Error', message: 'killed', logPath: '/var/log/pods/x/app/0.log',
  mounts: [{ containerPath: '/data', hostPath: '/tmp/data', readonly: true }], resources: { cpuShares: 2, memoryLimitInBytes: 1 << 30 },
};
const image: Image = { id: 'sha256:abc', repoTags: ['tinykube/busybox:1'], repoDigests: ['x@sha256:1'], size: 2_000_000, uid: 0, pinned: true };
const auth: AuthConfig = { username: 'u', password: 'p', auth: 'dTpw', serverAddress: 'r', identityToken: 'i', registryToken: 't' };
const stats: ContainerStats = {
  id: 'c1', metadata: { name: 'app', attempt: 0 }, labels: { l: 'v' },
  cpu: { timestamp: NS, usageCoreNanoSeconds: 123456789, usageNanoCores: 1000 },
  memory: { timestamp: NS, workingSetBytes: 4096, availableBytes: 1, usageBytes: 2, rssBytes: 3, pageFaults: 4, majorPageFaults: 5 },
  writableLayer: { timestamp: NS, usedBytes: 8192, inodesUsed: 7 },
};
const podStats: PodSandboxStats = {
  id: 'sb1', metadata: sandboxConfig.metadata, labels: { a: '1' }, annotations: {},
  cpu: { timestamp: NS, usageCoreNanoSeconds: 5 }, memory: { timestamp: NS, workingSetBytes: 6 },
  network: { timestamp: NS, interfaces: [{ name: 'eth0', rxBytes: 1, rxErrors: 0, txBytes: 2, txErrors: 0 }, { name: 'eth1', rxBytes: 3, rxErrors: 1, txBytes: 4, txErrors: 2 }] },
  process: { timestamp: NS, processCount: 3 }, containers: [{ id: 'c1', metadata: { name: 'app', attempt: 0 }, labels: {} }],
};
const fsUsage: FilesystemUsage = { timestamp: NS, mountpoint: '/var/lib/containerd', usedBytes: 100, inodesUsed: 10 };
const conditions: RuntimeCondition[] = [{ type: 'RuntimeReady', status: true, reason: '', message: '' }, { type: 'NetworkReady', status: false, reason: 'NoCNI', message: 'none' }];

describe('CRI contract <-> wire, through real protobuf bytes', () => {
  it('PodSandboxConfig (minimal and full)', () => {
    for (const cfg of [sandboxConfig, { metadata: sandboxConfig.metadata }, { ...sandboxConfig, linux: { hostNetwork: true } }]) {
      const w = viaWire('runtime', 'RunPodSandbox', 'request', { config: c.podSandboxConfigToWire(cfg), runtime_handler: '' });
      expect(c.podSandboxConfigFromWire(w.config as object)).toEqual(cfg);
    }
  });

  it('host network is namespace_options.network NODE for the sandbox and its containers', () => {
    const w = c.podSandboxConfigToWire({ metadata: sandboxConfig.metadata, linux: { hostNetwork: true } });
    expect(w.linux?.security_context?.namespace_options?.network).toBe('NODE');
    expect(c.containerConfigToWire(containerConfig, { hostNetwork: true }).linux?.security_context?.namespace_options?.network).toBe('NODE');
  });

  it('ContainerConfig (minimal and full), env values stay text', () => {
    for (const cfg of [containerConfig, { metadata: { name: 'a', attempt: 0 }, image: { image: 'i' } }]) {
      const w = viaWire('runtime', 'CreateContainer', 'request', { pod_sandbox_id: 'sb1', config: c.containerConfigToWire(cfg), sandbox_config: c.podSandboxConfigToWire(sandboxConfig) });
      expect(c.containerConfigFromWire(w.config as object)).toEqual(cfg);
      expect(c.podSandboxConfigFromWire(w.sandbox_config as object)).toEqual(sandboxConfig);
    }
  });

  it('a peer that sends no namespace options means pid POD (the CRI default)', () => {
    const w = viaWire('runtime', 'CreateContainer', 'request', { config: { metadata: { name: 'a' }, image: { image: 'i' } } });
    expect(c.containerConfigFromWire(w.config as object).linux).toBeUndefined();
    const w2 = viaWire('runtime', 'CreateContainer', 'request', { config: { metadata: { name: 'a' }, image: { image: 'i' }, linux: { security_context: {} } } });
    expect(c.containerConfigFromWire(w2.config as object).linux?.securityContext?.namespaceOptions).toEqual({ pid: 'POD' });
  });

  it('PodSandbox, PodSandboxStatus, Container, ContainerStatus (int64 ns as strings on the wire)', () => {
    const l = viaWire('runtime', 'ListPodSandbox', 'response', { items: [c.podSandboxToWire(sandbox)] });
    const item = (l.items as object[])[0] as { created_at?: string };
    expect(typeof item.created_at).toBe('string');
    expect(c.podSandboxFromWire(item)).toEqual(sandbox);
    const s = viaWire('runtime', 'PodSandboxStatus', 'response', { status: c.podSandboxStatusToWire(sandboxStatus) });
    expect(c.podSandboxStatusFromWire(s.status as object)).toEqual(sandboxStatus);
    const lc = viaWire('runtime', 'ListContainers', 'response', { containers: [c.containerToWire(container)] });
    expect(c.containerFromWire((lc.containers as object[])[0] as object)).toEqual(container);
    const cs = viaWire('runtime', 'ContainerStatus', 'response', { status: c.containerStatusToWire(containerStatus) });
    expect(c.containerStatusFromWire(cs.status as object)).toEqual(containerStatus);
    expect(c.containerStatusFromWire(cs.status as object, 'sb1').podSandboxId).toBe('sb1');
  });

  it('filters', () => {
    const pf = { id: 'sb', state: 'SANDBOX_READY', labelSelector: { a: 'b' } } as const;
    expect(c.podSandboxFilterFromWire(viaWire('runtime', 'ListPodSandbox', 'request', { filter: c.podSandboxFilterToWire(pf) }).filter as object)).toEqual(pf);
    const cf = { id: 'c', podSandboxId: 'sb', state: 'CONTAINER_EXITED', labelSelector: { a: 'b' } } as const;
    expect(c.containerFilterFromWire(viaWire('runtime', 'ListContainers', 'request', { filter: c.containerFilterToWire(cf) }).filter as object)).toEqual(cf);
    expect(c.containerFilterFromWire(viaWire('runtime', 'ListContainers', 'request', { filter: c.containerFilterToWire({}) }).filter as object)).toEqual({});
    expect(c.containerFilterFromWire(viaWire('runtime', 'ListContainers', 'request', {}).filter as null)).toBeUndefined();
    const sf = { id: 'c', podSandboxId: 'sb', labelSelector: { a: 'b' } };
    expect(c.containerStatsFilterFromWire(viaWire('runtime', 'ListContainerStats', 'request', { filter: c.containerStatsFilterToWire(sf) }).filter as object)).toEqual(sf);
    const psf = { id: 'sb', labelSelector: { a: 'b' } };
    expect(c.podSandboxStatsFilterFromWire(viaWire('runtime', 'ListPodSandboxStats', 'request', { filter: c.podSandboxStatsFilterToWire(psf) }).filter as object)).toEqual(psf);
    const imf = { image: { image: 'busybox' } };
    expect(c.imageFilterFromWire(viaWire('image', 'ListImages', 'request', { filter: c.imageFilterToWire(imf) }).filter as object)).toEqual(imf);
    expect(c.imageFilterFromWire(viaWire('image', 'ListImages', 'request', { filter: { image: { image: '' } } }).filter as object)).toBeUndefined();
  });

  it('Image, ImageSpec and AuthConfig', () => {
    const r = viaWire('image', 'ImageStatus', 'response', { image: c.imageToWire(image) });
    expect(c.imageFromWire(r.image as object)).toEqual(image);
    const named = { id: 'i', repoTags: [], repoDigests: [], size: 1, username: 'www' };
    expect(c.imageFromWire(viaWire('image', 'ImageStatus', 'response', { image: c.imageToWire(named) }).image as object)).toEqual(named);
    const p = viaWire('image', 'PullImage', 'request', { image: c.imageSpecToWire({ image: 'x' }), auth: c.authToWire(auth) });
    expect(c.imageSpecFromWire(p.image as object)).toEqual({ image: 'x' });
    expect(c.authFromWire(p.auth as object)).toEqual(auth);
    expect(c.authFromWire(viaWire('image', 'PullImage', 'request', {}).auth as null)).toBeUndefined();
  });

  it('ContainerStats, PodSandboxStats, FilesystemUsage, RuntimeCondition', () => {
    const s = viaWire('runtime', 'ContainerStats', 'response', { stats: c.containerStatsToWire(stats) });
    expect(c.containerStatsFromWire(s.stats as object)).toEqual(stats);
    const bare = { id: 'c2', metadata: { name: 'x', attempt: 1 }, labels: {} };
    expect(c.containerStatsFromWire(viaWire('runtime', 'ContainerStats', 'response', { stats: c.containerStatsToWire(bare) }).stats as object)).toEqual(bare);
    const p = viaWire('runtime', 'PodSandboxStats', 'response', { stats: c.podSandboxStatsToWire(podStats) });
    expect(c.podSandboxStatsFromWire(p.stats as object)).toEqual(podStats);
    const f = viaWire('image', 'ImageFsInfo', 'response', { image_filesystems: [c.filesystemUsageToWire(fsUsage)] });
    expect((f.image_filesystems as object[]).map(c.filesystemUsageFromWire)).toEqual([fsUsage]);
    const st = viaWire('runtime', 'Status', 'response', { status: { conditions: conditions.map(c.conditionToWire) }, info: {} });
    expect(c.conditionsFromWire((st.status as { conditions: object[] }).conditions)).toEqual(conditions);
  });

  it('container events', () => {
    const events: RuntimeEvent[] = [
      { containerId: 'c1', podSandboxId: 'sb1', podUid: 'u-1', type: 'created' },
      { containerId: 'c1', podSandboxId: 'sb1', podUid: 'u-1', type: 'started' },
      { containerId: 'c1', type: 'stopped' },
      { containerId: 'c1', podSandboxId: 'sb1', type: 'deleted' },
    ];
    for (const e of events) {
      const w = viaWire('runtime', 'GetContainerEvents', 'response', c.containerEventToWire(e, NS));
      expect(c.containerEventFromWire(w)).toEqual(e);
    }
    const withStatus = c.containerEventToWire({ containerId: 'c1', type: 'started' }, NS, sandboxStatus);
    expect(c.containerEventFromWire(viaWire('runtime', 'GetContainerEvents', 'response', withStatus))).toEqual(
      { containerId: 'c1', podSandboxId: 'sb1', podUid: 'u-1', type: 'started' });
  });

  it('int64 helpers keep ns above 2^53 as decimal strings', () => {
    expect(c.i64(NS)).toBe('1764900000123456000');
    expect(c.num('1764900000123456000')).toBe(NS);
    expect(c.num(undefined)).toBe(0);
  });
});

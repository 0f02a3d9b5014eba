/** Container and sandbox stats, image filesystems and runtime conditions: contract ↔ wire. */
import type {
  ContainerStats, ContainerStatsFilter, FilesystemUsage, PodSandboxStats, PodSandboxStatsFilter, RuntimeCondition,
} from '../types.js';
import { compact, i64, num, optList, optMap, optStr, strMap } from './convert-values.js';
import type {
  Maybe, WContainerStats, WContainerStatsFilter, WCpuUsage, WFilesystemUsage, WMemoryUsage, WNetworkInterfaceUsage,
  WPodSandboxStats, WPodSandboxStatsFilter, WRuntimeCondition, WUInt64Value,
} from './wire.js';

const u64 = (n: number | undefined): WUInt64Value | undefined => (n === undefined ? undefined : { value: i64(n) });
const un64 = (w: Maybe<WUInt64Value>): number | undefined => (w === null || w === undefined ? undefined : num(w.value));

type Cpu = NonNullable<ContainerStats['cpu']>;
type Memory = NonNullable<ContainerStats['memory']>;

const cpuToWire = (c: Cpu | undefined): WCpuUsage | undefined => c === undefined ? undefined
  : { timestamp: i64(c.timestamp), usage_core_nano_seconds: u64(c.usageCoreNanoSeconds), usage_nano_cores: u64(c.usageNanoCores) };
const cpuFromWire = (w: Maybe<WCpuUsage>): Cpu | undefined => w === null || w === undefined ? undefined : {
  timestamp: num(w.timestamp), usageCoreNanoSeconds: un64(w.usage_core_nano_seconds) ?? 0,
  ...compact({ usageNanoCores: un64(w.usage_nano_cores) }),
};
const memToWire = (m: Memory | undefined): WMemoryUsage | undefined => m === undefined ? undefined : {
  timestamp: i64(m.timestamp), working_set_bytes: u64(m.workingSetBytes), available_bytes: u64(m.availableBytes),
  usage_bytes: u64(m.usageBytes), rss_bytes: u64(m.rssBytes), page_faults: u64(m.pageFaults), major_page_faults: u64(m.majorPageFaults),
};
const memFromWire = (w: Maybe<WMemoryUsage>): Memory | undefined => w === null || w === undefined ? undefined : {
  timestamp: num(w.timestamp), workingSetBytes: un64(w.working_set_bytes) ?? 0,
  ...compact({
    availableBytes: un64(w.available_bytes), usageBytes: un64(w.usage_bytes), rssBytes: un64(w.rss_bytes),
    pageFaults: un64(w.page_faults), majorPageFaults: un64(w.major_page_faults),
  }),
};

export const filesystemUsageToWire = (f: FilesystemUsage): WFilesystemUsage => ({
  timestamp: i64(f.timestamp), fs_id: { mountpoint: f.mountpoint }, used_bytes: u64(f.usedBytes), inodes_used: u64(f.inodesUsed),
});
export const filesystemUsageFromWire = (w: WFilesystemUsage): FilesystemUsage => ({
  timestamp: num(w.timestamp), mountpoint: w.fs_id?.mountpoint ?? '', usedBytes: un64(w.used_bytes) ?? 0,
  ...compact({ inodesUsed: un64(w.inodes_used) }),
});

export const containerStatsToWire = (s: ContainerStats): WContainerStats => ({
  attributes: { id: s.id, metadata: { ...s.metadata }, labels: strMap(s.labels), annotations: {} },
  cpu: cpuToWire(s.cpu), memory: memToWire(s.memory),
  writable_layer: s.writableLayer === undefined ? undefined : {
    timestamp: i64(s.writableLayer.timestamp), used_bytes: u64(s.writableLayer.usedBytes), inodes_used: u64(s.writableLayer.inodesUsed),
  },
});
export function containerStatsFromWire(w: WContainerStats): ContainerStats {
  const a = w.attributes;
  const wl = w.writable_layer;
  return {
    id: a?.id ?? '', metadata: { name: a?.metadata?.name ?? '', attempt: a?.metadata?.attempt ?? 0 }, labels: strMap(a?.labels),
    ...compact({
      cpu: cpuFromWire(w.cpu), memory: memFromWire(w.memory),
      writableLayer: wl === null || wl === undefined ? undefined
        : { timestamp: num(wl.timestamp), usedBytes: un64(wl.used_bytes) ?? 0, ...compact({ inodesUsed: un64(wl.inodes_used) }) },
    }),
  };
}

type Iface = NonNullable<PodSandboxStats['network']>['interfaces'][number];
const ifaceToWire = (i: Iface): WNetworkInterfaceUsage => ({
  name: i.name, rx_bytes: u64(i.rxBytes), rx_errors: u64(i.rxErrors), tx_bytes: u64(i.txBytes), tx_errors: u64(i.txErrors),
});
const ifaceFromWire = (w: WNetworkInterfaceUsage): Iface => ({
  name: w.name ?? '', rxBytes: un64(w.rx_bytes) ?? 0, rxErrors: un64(w.rx_errors) ?? 0, txBytes: un64(w.tx_bytes) ?? 0, txErrors: un64(w.tx_errors) ?? 0,
});

/** The first interface is the default one on the wire. */
export function podSandboxStatsToWire(s: PodSandboxStats): WPodSandboxStats {
  const [first, ...rest] = s.network?.interfaces ?? [];
  return {
    attributes: { id: s.id, metadata: { ...s.metadata }, labels: strMap(s.labels), annotations: strMap(s.annotations) },
    linux: {
      cpu: cpuToWire(s.cpu), memory: memToWire(s.memory),
      network: s.network === undefined ? undefined
        : { timestamp: i64(s.network.timestamp), default_interface: first && ifaceToWire(first), interfaces: rest.map(ifaceToWire) },
      process: s.process === undefined ? undefined : { timestamp: i64(s.process.timestamp), process_count: u64(s.process.processCount) },
      containers: s.containers.map(containerStatsToWire),
    },
  };
}
export function podSandboxStatsFromWire(w: WPodSandboxStats): PodSandboxStats {
  const a = w.attributes;
  const l = w.linux;
  const m = a?.metadata;
  const net = l?.network;
  const def = net?.default_interface;
  return {
    id: a?.id ?? '', metadata: { name: m?.name ?? '', uid: m?.uid ?? '', namespace: m?.namespace ?? '', attempt: m?.attempt ?? 0 },
    labels: strMap(a?.labels), annotations: strMap(a?.annotations),
    containers: (l?.containers ?? []).map(containerStatsFromWire),
    ...compact({
      cpu: cpuFromWire(l?.cpu), memory: memFromWire(l?.memory),
      network: net === null || net === undefined ? undefined : {
        timestamp: num(net.timestamp),
        interfaces: [...(def === null || def === undefined ? [] : [ifaceFromWire(def)]), ...(net.interfaces ?? []).map(ifaceFromWire)],
      },
      process: l?.process === null || l?.process === undefined ? undefined
        : { timestamp: num(l.process.timestamp), processCount: un64(l.process.process_count) ?? 0 },
    }),
  };
}

export const containerStatsFilterToWire = (f: ContainerStatsFilter | undefined): WContainerStatsFilter | undefined =>
  f === undefined ? undefined : { id: f.id ?? '', pod_sandbox_id: f.podSandboxId ?? '', label_selector: strMap(f.labelSelector) };
export const containerStatsFilterFromWire = (w: Maybe<WContainerStatsFilter>): ContainerStatsFilter | undefined =>
  w === null || w === undefined ? undefined
    : compact<ContainerStatsFilter>({ id: optStr(w.id), podSandboxId: optStr(w.pod_sandbox_id), labelSelector: optMap(w.label_selector) }) ?? {};
export const podSandboxStatsFilterToWire = (f: PodSandboxStatsFilter | undefined): WPodSandboxStatsFilter | undefined =>
  f === undefined ? undefined : { id: f.id ?? '', label_selector: strMap(f.labelSelector) };
export const podSandboxStatsFilterFromWire = (w: Maybe<WPodSandboxStatsFilter>): PodSandboxStatsFilter | undefined =>
  w === null || w === undefined ? undefined : compact<PodSandboxStatsFilter>({ id: optStr(w.id), labelSelector: optMap(w.label_selector) }) ?? {};

export const conditionToWire = (c: RuntimeCondition): WRuntimeCondition => ({ ...c });
export const conditionFromWire = (w: WRuntimeCondition): RuntimeCondition =>
  ({ type: w.type ?? '', status: w.status ?? false, reason: w.reason ?? '', message: w.message ?? '' });
export const conditionsFromWire = (ws: Maybe<WRuntimeCondition[]>): RuntimeCondition[] => (optList(ws) ?? []).map(conditionFromWire);

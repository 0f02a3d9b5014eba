/** What the node reports about its host: CPUs, memory, disk, OS image, kernel, architecture, ids. */
import { readFile, statfs } from 'node:fs/promises';
import { arch, cpus, hostname, release, totalmem } from 'node:os';

export interface HostInfo {
  hostname: string;
  cpu: number;
  memoryBytes: number;
  /** Filesystem of the data dir, bytes (0 when unknown). */
  ephemeralStorageBytes: number;
  osImage: string;
  kernelVersion: string;
  architecture: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
}

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

const read = (p: string): Promise<string> => readFile(p, 'utf8').then((s) => s.trim()).catch(() => ''); // absent files: report empty

/** PURE: PRETTY_NAME from /etc/os-release content. */
export function prettyName(osRelease: string): string {
  const m = /^PRETTY_NAME=(.*)$/m.exec(osRelease);
  return m ? m[1]!.replace(/^"(.*)"$/, '$1') : 'Linux';
}

/** PURE: MemTotal from /proc/meminfo in bytes. */
export function memTotal(meminfo: string): number | undefined {
  const m = /^MemTotal:\s+(\d+)\s*kB/m.exec(meminfo);
  return m ? Number(m[1]) * 1024 : undefined;
}

export async function readHostInfo(dataDir: string): Promise<HostInfo> {
  const [osRelease, meminfo, machineID, productUUID, bootID] = await Promise.all([
    read('/etc/os-release'), read('/proc/meminfo'), read('/etc/machine-id'), read('/sys/class/dmi/id/product_uuid'), read('/proc/sys/kernel/random/boot_id'),
  ]);
  let ephemeralStorageBytes = 0;
  try { const s = await statfs(dataDir); ephemeralStorageBytes = s.blocks * s.bsize; } catch { /* data dir not created yet: report no storage */ }
  return {
    hostname: hostname(), cpu: cpus().length, memoryBytes: memTotal(meminfo) ?? totalmem(), ephemeralStorageBytes,
    osImage: prettyName(osRelease), kernelVersion: release(), architecture: GOARCH[arch()] ?? arch(),
    machineID, systemUUID: productUUID || machineID, bootID,
  };
}

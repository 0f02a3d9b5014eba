/**
 * `tinykube doctor [--runtime-endpoint URL] [--cluster-cidr C] [--service-cidr C] [--data-dir D]`:
 * preflight checks of this machine (kernel features, iptables backend, tools, runtime reachable,
 * ports, routes), one line each; exit 1 when one fails.
 */
import { access, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { release } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DockerEngine } from '../../cri/docker/engine/client.js';
import { CriClient } from '../../cri/remote/cri-client.js';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import { runChecks } from './checks.js';
import type { CheckResult, Probe } from './checks.js';
import { parseFlags, str, UsageError } from '../flags.js';

import type { IoStreams } from '../io-streams.js';
import { DEFAULT_DATA_DIR, DEFAULT_RUNTIME_ENDPOINT } from '../defaults.js';

/** The machine itself. */
export const hostProbe: Probe = {
  isRoot: () => process.getuid?.() === 0,
  read: (path) => readFile(path, 'utf8').catch(() => undefined), // unreadable or absent: the check says what it missed
  exists: (path) => access(path).then(() => true, () => false),
  exec: new ProcessRunner({ timeoutMs: 10_000 }),
  docker: async (socket) => {
    const engine = new DockerEngine({ socketPath: socket });
    try {
      const v = await engine.version();
      return { version: v.Version, apiVersion: v.ApiVersion };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    } finally {
      engine.close();
    }
  },
  cri: async (socket) => {
    const client = new CriClient(socket);
    const o = { timeoutMs: 3_000 };
    try {
      const v = await client.unary<{ runtime_name: string; runtime_version: string; runtime_api_version: string }>('runtime', 'Version', {}, { ...o, what: 'version' });
      const s = await client.unary<{ status?: { conditions?: Array<{ type: string; status: boolean }> } }>('runtime', 'Status', {}, { ...o, what: 'status' });
      return {
        runtimeName: v.runtime_name, runtimeVersion: v.runtime_version, apiVersion: v.runtime_api_version,
        conditions: Object.fromEntries((s.status?.conditions ?? []).map((c) => [c.type, c.status])),
      };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    } finally {
      client.close();
    }
  },
  kernelConfig: async () => {
    const gz = await readFile('/proc/config.gz').catch(() => undefined); // no IKCONFIG: try /boot below
    if (gz) { try { return gunzipSync(gz).toString('utf8'); } catch { /* not gzip: fall through */ } }
    return readFile(`/boot/config-${release()}`, 'utf8').catch(() => undefined); // neither: the kernel checks report 'unknown'
  },
  portFree: (port) => new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '0.0.0.0', exclusive: true }, () => s.close(() => resolve(true)));
  }),
};

const MARK: Record<CheckResult['verdict'], string> = { ok: '[ok]  ', warn: '[warn]', fail: '[fail]' };

/** PURE. The report lines and the summary. */
export function formatReport(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = results.map((r) => `${MARK[r.verdict]} ${r.name.padEnd(width)}  ${r.detail}`);
  const n = (v: CheckResult['verdict']) => results.filter((r) => r.verdict === v).length;
  lines.push(`${results.length} checks: ${n('ok')} ok, ${n('warn')} warnings, ${n('fail')} failures`);
  return `${lines.join('\n')}\n`;
}

/** PIDs of a running `up` in dataDir: pid files naming live processes whose command line has the data dir. */
async function ownPids(dataDir: string, probe: Probe): Promise<number[]> {
  const pids: number[] = [];
  for (const f of ['control.pid', 'agent.pid']) {
    const pid = Number((await probe.read(join(dataDir, f)))?.trim());
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if ((await probe.read(`/proc/${pid}/cmdline`))?.includes(dataDir)) pids.push(pid);
  }
  return pids;
}

export async function doctorCommand(argv: readonly string[], io: IoStreams, probe: Probe = hostProbe): Promise<number> {
  const p = parseFlags(argv, { values: ['runtime-endpoint', 'cluster-cidr', 'service-cidr', 'data-dir'] });
  if (p.positionals.length > 0) throw new UsageError(`doctor takes no arguments, got "${p.positionals[0]}"`);
  const dataDir = str(p, 'data-dir', DEFAULT_DATA_DIR);
  io.out.write('[preflight] Running pre-flight checks\n');
  const results = await runChecks(probe, {
    runtimeEndpoint: str(p, 'runtime-endpoint', DEFAULT_RUNTIME_ENDPOINT),
    clusterCidr: str(p, 'cluster-cidr', '10.244.0.0/16'),
    serviceCidr: str(p, 'service-cidr', '10.96.0.0/12'),
    ports: [{ port: 6443, what: 'the API server' }, { port: 10250, what: 'the node API' }],
    ownPids: await ownPids(dataDir, probe),
  });
  io.out.write(formatReport(results));
  return results.some((r) => r.verdict === 'fail') ? 1 : 0;
}

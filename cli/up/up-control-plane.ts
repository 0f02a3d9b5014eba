/**
 * The control-plane half of `tinykube up`, idempotent against what already runs: the data dir's
 * own control plane holding the port is kept (and waited for); another of the data dir's (on
 * another port, or a second one) is stopped; a port held by anything else is one error line
 * naming the holder, before anything changes. Otherwise it starts one in the background (logs in
 * <data-dir>/control.log) and waits until /readyz answers from that very process.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { DAEMON_NODE_FLAGS } from '../daemon-node.js';
import { spawnDetached } from '../daemon-processes.js';
import type { NodeProcess } from '../node-processes.js';
import { SERVER_STOP_GRACE_MS, stillRunning, stopNodeProcesses } from '../node-processes.js';
import { describeHolder, portHolder } from '../port-holder.js';
import type { UpPlan } from './up-flags.js';

const READY_TIMEOUT_MS = 60_000;
/** What to do about a control-plane port held by another process. */
export const CONTROL_PORT_HINT = 'stop it, or give this control plane another --listen';

function readyz(serverUrl: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(new URL('/readyz', serverUrl), { rejectUnauthorized: false, timeout: 2000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.end();
  });
}

export interface ControlPlaneUp {
  pid: number;
  /** When `up` started it (ms); undefined when it was running already. */
  startedAt?: number;
}

export interface ControlPlaneDeps {
  /** The CLI's entry point (dist/cli/main.js). */
  main: string;
  err: NodeJS.WritableStream;
}

/**
 * Which of `ours` holds host:port: undefined when the port is free; throws the one line naming
 * the holder when it is anything else (`hint` appended: what to do about it).
 */
export function portOwner(host: string, port: number, ours: readonly NodeProcess[], hint: string): NodeProcess | undefined {
  const holder = portHolder(host, port);
  if (holder === undefined) return undefined;
  const owner = ours.find((p) => p.pid === holder.pid);
  if (owner === undefined) throw new Error(`${describeHolder(port, holder)}: ${hint}`);
  return owner;
}

export async function ensureControlPlane(plan: UpPlan, servers: readonly NodeProcess[], d: ControlPlaneDeps): Promise<ControlPlaneUp> {
  const { dataDir, port, listenHost } = plan;
  const keep = portOwner(listenHost, port, servers, CONTROL_PORT_HINT);
  const strays = servers.filter((s) => s !== keep);
  if (strays.length > 0) {
    d.err.write(`Stopping ${strays.length} other control plane(s) of ${dataDir} (pid ${strays.map((s) => s.pid).join(', ')})\n`);
    await stopNodeProcesses(strays, dataDir, SERVER_STOP_GRACE_MS);
  }
  if (keep !== undefined) {
    d.err.write(`The control plane is running (pid ${keep.pid})`);
    await waitReady(plan.serverUrl, () => !stillRunning(keep, dataDir), d.err, dataDir);
    return { pid: keep.pid };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700); // keys, kubeconfigs, the database and logs live here: root only
  const startedAt = Math.floor(Date.now() / 1000) * 1000;
  const logFile = join(dataDir, 'control.log');
  const child = spawnDetached(process.execPath, [...DAEMON_NODE_FLAGS, d.main, ...plan.serverArgs], logFile);
  d.err.write(`Starting the control plane (pid ${child.pid}, logs in ${logFile})`);
  await waitReady(plan.serverUrl, child.exited, d.err, dataDir);
  // the answer came from this port: it must be our process that holds it
  const now = portHolder(listenHost, port);
  if (now?.pid !== child.pid) throw new Error(`${describeHolder(port, now ?? {})}, not by the control plane just started (pid ${child.pid})`);
  return { pid: child.pid, startedAt };
}

async function waitReady(serverUrl: string, exited: () => boolean, err: NodeJS.WritableStream, dataDir: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) {
      err.write('\n');
      throw new Error(`control plane exited during start: see ${join(dataDir, 'control.log')}`);
    }
    if (await readyz(serverUrl)) {
      err.write(' ready\n');
      return;
    }
    err.write('.');
    await new Promise((r) => setTimeout(r, 250));
  }
  err.write('\n');
  throw new Error(`control plane not ready after ${READY_TIMEOUT_MS / 1000}s: see ${join(dataDir, 'control.log')}`);
}

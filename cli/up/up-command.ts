/**
 * `tinykube up`: a single node on this host, the control plane and the agent each as a background
 * process of the data dir, then the KUBECONFIG line. Idempotent against any mix of live and dead
 * parts: it looks at what runs for the data dir (node-processes.ts, never trusting a pid file),
 * keeps what is healthy, stops what is extra and starts what is missing, so afterwards there is
 * one control plane and one agent (up-control-plane.ts, up-agent.ts). `down` stops them.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DAEMON_NODE_FLAGS, daemonEnv } from '../daemon-node.js';
import type { IoStreams } from '../io-streams.js';
import { CONTROL_PID_FILE, findNodeProcesses } from '../node-processes.js';
import { ensureAgent } from './up-agent.js';
import { NODE_API_PORT_HINT } from '../port-holder.js';
import { CONTROL_PORT_HINT, ensureControlPlane, portOwner } from './up-control-plane.js';
import { parseUpFlags } from './up-flags.js';

export async function upCommand(argv: readonly string[], io: IoStreams): Promise<number> {
  const plan = parseUpFlags(argv);
  const { dataDir } = plan;
  const main = fileURLToPath(new URL('../main.js', import.meta.url));
  const running = findNodeProcesses(dataDir);
  const servers = running.filter((p) => p.role === 'server');
  if (plan.foreground) {
    if (servers.length > 0) throw new Error(`the control plane of ${dataDir} is already running (pid ${servers.map((s) => s.pid).join(', ')}): tinykube down --data-dir ${dataDir} first`);
    portOwner(plan.listenHost, plan.port, [], CONTROL_PORT_HINT);
    const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, main, ...plan.serverArgs], { stdio: 'inherit', env: daemonEnv() });
    return await new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  }
  const agents = running.filter((p) => p.role === 'agent');
  // both ports before anything changes: each free, or held by the data dir's own process
  portOwner(plan.listenHost, plan.port, servers, CONTROL_PORT_HINT);
  portOwner(plan.node.ip, plan.node.apiPort, agents, NODE_API_PORT_HINT);
  const cp = await ensureControlPlane(plan, servers, { main, err: io.err });
  writeFileSync(join(dataDir, CONTROL_PID_FILE), `${cp.pid}\n`, { mode: 0o600 });
  await ensureAgent(plan, agents, cp, { main, err: io.err });
  io.out.write(`export KUBECONFIG=${join(dataDir, 'admin.kubeconfig')}\n`);
  return 0;
}

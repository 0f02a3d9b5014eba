/**
 * `tinykube up` / `tinykube down`: a single node on this host. At this stage `up` starts the control
 * plane in the background (its own process, logs in <data-dir>/control.log, pid in control.pid),
 * waits until /readyz answers, and prints the KUBECONFIG line. `down` stops what `up` started.
 */
import { spawn } from 'node:child_process';
import { DAEMON_NODE_FLAGS, daemonEnv } from '../daemon-node.js';
import { openSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bool, parseFlags, str, UsageError } from '../flags.js';
import { SERVER_BOOLEAN_FLAGS, SERVER_FLAGS } from '../server/server-command.js';
import { chooseRuntimeEndpoint, DEFAULT_DATA_DIR } from '../defaults.js';
import { recordRuntimeEndpoint } from '../node-runtime.js';
import { agentPid, startAgent } from './up-agent.js';
import { alive, readPidFile } from '../daemon-processes.js';

import type { IoStreams } from '../io-streams.js';

const READY_TIMEOUT_MS = 60_000;
/** Where `up` records the control plane's PID (`down` reads it). */
export const CONTROL_PID_FILE = 'control.pid';
/** The node's runtime: --runtime docker|containerd, or --runtime-endpoint URL (which wins). */
export const UP_RUNTIME_FLAGS = ['runtime', 'runtime-endpoint'] as const;

function readyz(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/readyz', rejectUnauthorized: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.end();
  });
}

export async function upCommand(argv: readonly string[], io: IoStreams): Promise<number> {
  const p = parseFlags(argv, { values: [...SERVER_FLAGS, ...UP_RUNTIME_FLAGS], booleans: [...SERVER_BOOLEAN_FLAGS, 'foreground'] });
  if (p.positionals.length > 0) throw new UsageError(`up takes no arguments, got "${p.positionals[0]}"`);
  const dataDir = str(p, 'data-dir', DEFAULT_DATA_DIR);
  const runtimeEndpoint = chooseRuntimeEndpoint({ runtime: str(p, 'runtime'), runtimeEndpoint: str(p, 'runtime-endpoint') });
  const listen = str(p, 'listen', '0.0.0.0:6443');
  const port = Number(listen.slice(listen.lastIndexOf(':') + 1));
  const serverArgs = ['server', '--data-dir', dataDir, '--listen', listen];
  for (const f of SERVER_FLAGS) { const v = str(p, f); if (v !== undefined && f !== 'data-dir' && f !== 'listen') serverArgs.push(`--${f}`, v); }
  for (const f of SERVER_BOOLEAN_FLAGS) if (bool(p, f)) serverArgs.push(`--${f}`);
  const main = fileURLToPath(new URL('../main.js', import.meta.url));
  if (bool(p, 'foreground')) {
    const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, main, ...serverArgs], { stdio: 'inherit', env: daemonEnv() });
    return await new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  }
  const old = readPidFile(join(dataDir, CONTROL_PID_FILE));
  if (old !== undefined && alive(old) && await readyz(port)) {
    const apid = agentPid(dataDir);
    if (apid === undefined || !alive(apid)) {
      recordRuntimeEndpoint(dataDir, runtimeEndpoint);
      await startAgent({ dataDir, main, port, runtimeEndpoint, err: io.err, serviceCidr: str(p, 'service-cidr', '10.96.0.0/12'), clusterCidr: str(p, 'cluster-cidr', '10.244.0.0/16') });
    }
    io.out.write(`tinykube is already running (pid ${old})\nexport KUBECONFIG=${join(dataDir, 'admin.kubeconfig')}\n`);
    return 0;
  }
  const { chmodSync, fchmodSync, mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700); // keys, kubeconfigs, the database and logs live here: root only
  const logFd = openSync(join(dataDir, 'control.log'), 'a', 0o600);
  fchmodSync(logFd, 0o600); // a log from before may have been created readable by all
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, main, ...serverArgs], { detached: true, stdio: ['ignore', logFd, logFd], env: daemonEnv() });
  child.unref();
  writeFileSync(join(dataDir, CONTROL_PID_FILE), `${child.pid}\n`, { mode: 0o600 });
  recordRuntimeEndpoint(dataDir, runtimeEndpoint); // `down` removes the node's pods through the same runtime
  io.err.write(`Starting the control plane (pid ${child.pid}, logs in ${join(dataDir, 'control.log')})`);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || !alive(child.pid ?? -1)) {
      io.err.write('\n');
      throw new Error(`control plane exited during start: see ${join(dataDir, 'control.log')}`);
    }
    if (await readyz(port)) {
      io.err.write(' ready\n');
      await startAgent({ dataDir, main, port, runtimeEndpoint, err: io.err, serviceCidr: str(p, 'service-cidr', '10.96.0.0/12'), clusterCidr: str(p, 'cluster-cidr', '10.244.0.0/16') });
      io.out.write(`export KUBECONFIG=${join(dataDir, 'admin.kubeconfig')}\n`);
      return 0;
    }
    io.err.write('.');
    await new Promise((r) => setTimeout(r, 250));
  }
  io.err.write('\n');
  throw new Error(`control plane not ready after ${READY_TIMEOUT_MS / 1000}s: see ${join(dataDir, 'control.log')}`);
}

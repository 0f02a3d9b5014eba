/**
 * A private dockerd for tests that must restart or kill the runtime (never the host's, which other
 * tests use at the same time): its own containerd (no CRI plugin), data root, exec root, pidfile
 * and unix socket under /var/lib/tinykube-test/<name> and /run/tinykube-test/<name>; a default
 * bridge of its own that nothing uses (tkd<hash>, 10.249.<n>.1/30: never `--bridge=none`, with
 * which dockerd deletes the host's docker0 at start), no iptables, no forwarding (tinykube's
 * Docker runtime wires pods with CNI itself); the test
 * images loaded with `docker load`. Processes are ended by the PIDs this helper holds.
 *
 * reboot(): dockerd, its containerd, the shims and every container killed with SIGKILL at once,
 * the /run state gone, then containerd and dockerd started again. stop() leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import { killNow, stopGracefully } from './child.js';
import { descendantsOf, mountsUnder, shimsOf, TEST_IMAGE_FILES, TEST_LIB_ROOT, TEST_RUN_ROOT, waitGone } from './private-containerd.js';

export interface PrivateDockerd {
  /** docker:///<socket>, for tinykube's --runtime-endpoint. */
  endpoint: string;
  socket: string;
  dataRoot: string;
  /** The docker CLI against this daemon. */
  docker(args: string[]): Promise<string>;
  reboot(): Promise<void>;
  stop(): Promise<void>;
}

const runner = new ProcessRunner({ timeoutMs: 60_000 });

async function waitFor(what: string, ok: () => Promise<boolean>, proc: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`private ${what} exited during start: ${readFileSync(logFile, 'utf8').split('\n').slice(-10).join('\n')}`);
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`private ${what} did not answer within 30 s (log ${logFile})`);
}

export async function startPrivateDockerd(o: { name: string }): Promise<PrivateDockerd> {
  if (!/^[a-z0-9][a-z0-9-]{0,23}$/.test(o.name)) throw new Error(`private dockerd: bad name ${JSON.stringify(o.name)}`);
  const lib = join(TEST_LIB_ROOT, o.name);
  const run = join(TEST_RUN_ROOT, o.name);
  if (existsSync(lib) || existsSync(run)) throw new Error(`private dockerd ${o.name}: ${lib} or ${run} exists (a run that did not clean up?)`);
  const ctdState = join(run, 'containerd-state');
  const ctdAddress = join(run, 'containerd.sock');
  const socket = join(run, 'docker.sock');
  const execRoot = join(run, 'exec');
  const dataRoot = join(lib, 'docker');
  await mkdir(join(lib, 'containerd-root'), { recursive: true, mode: 0o700 });
  await mkdir(ctdState, { recursive: true, mode: 0o711 });
  const ctdConfig = join(lib, 'containerd.toml');
  writeFileSync(ctdConfig, [
    'version = 2', `root = "${join(lib, 'containerd-root')}"`, `state = "${ctdState}"`,
    'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
    '[grpc]', `  address = "${ctdAddress}"`, '[ttrpc]', `  address = "${ctdAddress}.ttrpc"`, '',
  ].join('\n'));
  const hash = createHash('sha256').update(o.name).digest();
  const bridge = `tkd${hash.toString('hex').slice(0, 8)}`;
  await runner.run('ip', ['link', 'add', bridge, 'type', 'bridge']);
  await runner.run('ip', ['addr', 'add', `10.249.${hash[4]!}.1/30`, 'dev', bridge]);
  const daemonJson = join(lib, 'daemon.json');
  writeFileSync(daemonJson, '{}\n'); // not the host's /etc/docker/daemon.json
  const ctdLog = join(lib, 'containerd.log');
  const dockerdLog = join(lib, 'dockerd.log');
  const launch = (argv: string[], logFile: string): ChildProcess => {
    const out = openSync(logFile, 'a');
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', out, out] });
    closeSync(out);
    return child;
  };
  const docker = async (args: string[]): Promise<string> => (await runner.run('docker', ['-H', `unix://${socket}`, ...args])).stdout;
  let containerd: ChildProcess | undefined;
  let dockerd: ChildProcess | undefined;
  const boot = async (): Promise<void> => {
    containerd = launch(['containerd', '--config', ctdConfig], ctdLog);
    await waitFor('containerd', async () => existsSync(ctdAddress) && await runner.run('ctr', ['--address', ctdAddress, 'version']).then(() => true, () => false), containerd, ctdLog);
    // --containerd: without it dockerd 20.10 takes /run/containerd/containerd.sock, the host's
    dockerd = launch(['dockerd', '--config-file', daemonJson, '--containerd', ctdAddress, '--data-root', dataRoot, '--exec-root', execRoot,
      '--pidfile', join(run, 'docker.pid'), '-H', `unix://${socket}`, '--bridge', bridge, '--iptables=false', '--ip-masq=false',
      '--ip-forward=false', '--userland-proxy=false'], dockerdLog);
    await waitFor('dockerd', () => docker(['version', '--format', '{{.Server.Version}}']).then(() => true, () => false), dockerd, dockerdLog);
  };
  const killAll = async (): Promise<void> => {
    const shims = shimsOf(ctdAddress);
    const doomed = [...descendantsOf(shims), ...shims];
    const exits = [killNow(dockerd), killNow(containerd)];
    for (const pid of doomed) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone already */ } }
    await Promise.all(exits);
    await waitGone(doomed);
    for (const m of mountsUnder([run])) await runner.run('umount', ['-l', m]).catch(() => undefined);
  };
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const ids = (await docker(['ps', '-aq']).catch(() => '')).split('\n').filter(Boolean);
    if (ids.length > 0) await docker(['rm', '-f', ...ids]).catch(() => undefined); // what cannot go is killed below
    await stopGracefully(dockerd, 10_000);
    await stopGracefully(containerd, 5000);
    await killAll();
    for (const m of mountsUnder([lib, run])) await runner.run('umount', ['-l', m]).catch(() => undefined);
    await rm(lib, { recursive: true, force: true });
    await rm(run, { recursive: true, force: true });
    await runner.run('ip', ['link', 'del', bridge]).catch(() => undefined); // gone already: fine
  };
  try {
    await boot();
    for (const image of TEST_IMAGE_FILES) await docker(['load', '-q', '-i', image]);
  } catch (err) {
    await stop();
    throw err;
  }
  const reboot = async (): Promise<void> => {
    await killAll();
    await rm(run, { recursive: true, force: true }); // /run is empty after a reboot
    await mkdir(ctdState, { recursive: true, mode: 0o711 });
    await boot();
  };
  return { endpoint: `docker://${socket}`, socket, dataRoot, docker, reboot, stop };
}

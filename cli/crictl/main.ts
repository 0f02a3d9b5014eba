/**
 * `tinykube crictl`: crictl's commands over CRI v1 gRPC, to containerd's socket or a Docker node's
 * own CRI socket (see runtime-target.ts for which endpoint). Global flags come before the command:
 *   [-r|--runtime-endpoint unix:///…|containerd:///…] [--data-dir D] [-t|--timeout 2s]
 * (-t, -i and -D are accepted as crictl has them; the CRI client keeps its own per-call deadlines.)
 * Exit codes: 0 ok (exec: the command's), 1 runtime error, 2 usage; errors are one stderr line.
 */
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { CriError } from '../../cri/errors.js';
import { parseArgs } from './args.js';
import { durationMs, UsageError } from '../flags.js';
import type { FlagSpec } from './args.js';
import type { Command, CrictlContext } from './context.js';
import type { IoStreams } from '../io-streams.js';
import { DEFAULT_DATA_DIR } from '../defaults.js';
import { recordedRuntimeEndpoint } from '../node-runtime.js';
import { chooseCriSocket } from './runtime-target.js';
import type { CrictlRuntime } from './runtime-target.js';
import { execCommand } from './commands/exec.js';
import { imagesCommand } from './commands/images.js';
import { inspectContainerCommand, inspectImageCommand, inspectSandboxCommand } from './commands/inspect.js';
import { logsCommand } from './commands/logs.js';
import { portForwardCommand } from './commands/port-forward.js';
import { podsCommand } from './commands/pods.js';
import { psCommand } from './commands/ps.js';
import { pullCommand, rmiCommand } from './commands/pull.js';
import { rmCommand, rmpCommand, stopCommand, stoppCommand } from './commands/rm.js';
import { statsCommand } from './commands/stats.js';
import { infoCommand, versionCommand } from './commands/version.js';

export const CRICTL_USAGE = `usage: tinykube crictl [-r unix:///path/to/cri.sock] [--data-dir D] [-t 2s] COMMAND [flags]

commands:
  version                       runtime name and version
  info                          runtime status conditions and info (JSON)
  pods                          list pod sandboxes  [--name RE] [--namespace RE] [--state ready|notready] [--label k=v] [-q] [-o json|yaml] [-l] [-n N]
  ps                            list containers     [-a] [-q] [--pod ID] [--name RE] [--state S] [--label k=v] [-o json|yaml] [-l] [-n N]
  images [REPO]                 list images         [-q] [--digests] [-o json|yaml]
  inspect ID...                 container status (JSON)
  inspectp ID...                pod sandbox status with its IP (JSON)
  inspecti IMAGE...             image status (JSON)
  logs [-f] [--tail N] [-t] ID  container logs
  exec [-i] [-t] [-s] ID CMD... run a command in a container
  stats [ID...]                 container CPU, memory and disk  [-a] [--pod ID] [-s SECONDS] [-o json|yaml]
  port-forward POD [L:]R...     forward 127.0.0.1:L to port R in the pod, until Ctrl-C
  pull IMAGE | rmi IMAGE...     pull or remove images
  stop ID... | rm [-f] ID...    stop or remove containers
  stopp ID... | rmp [-f] ID...  stop or remove pod sandboxes
The endpoint: -r, else $CONTAINER_RUNTIME_ENDPOINT, else the node in --data-dir (default ${DEFAULT_DATA_DIR}):
its recorded runtime (<data-dir>/runtime-endpoint) - a Docker node's CRI socket <data-dir>/cri.sock, or containerd's.
IDs may be unique prefixes.
`;

const COMMANDS: Record<string, Command> = {
  version: versionCommand, info: infoCommand, pods: podsCommand, ps: psCommand, images: imagesCommand, img: imagesCommand,
  inspect: inspectContainerCommand, inspectp: inspectSandboxCommand, inspecti: inspectImageCommand, logs: logsCommand, exec: execCommand, stats: statsCommand,
  'port-forward': portForwardCommand, pull: pullCommand, rmi: rmiCommand, stop: stopCommand, rm: rmCommand, stopp: stoppCommand, rmp: rmpCommand,
};

const GLOBAL_FLAGS: FlagSpec = {
  'runtime-endpoint': { kind: 'value', short: 'r' }, 'image-endpoint': { kind: 'value', short: 'i' }, 'data-dir': { kind: 'value' },
  timeout: { kind: 'value', short: 't' }, debug: { kind: 'bool', short: 'D' }, help: { kind: 'bool', short: 'h' },
};

/** crictl's default per-call timeout. */
export const DEFAULT_TIMEOUT_MS = 2_000;

export interface CrictlDeps {
  /** Dials the CRI socket (default: RemoteRuntime over gRPC). */
  openRuntime?: (opts: { socketPath: string; timeoutMs: number }) => CrictlRuntime;
  /** $CONTAINER_RUNTIME_ENDPOINT (default: from process.env). */
  env?: string;
  /** The runtime a data dir's node records (default: cli/node-runtime.ts reads <data-dir>/runtime-endpoint). */
  recordedEndpoint?: (dataDir: string) => string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

async function openRemote(opts: { socketPath: string; timeoutMs: number }): Promise<CrictlRuntime> {
  if (!existsSync(opts.socketPath)) {
    throw new CriError('Unavailable', `no CRI socket at ${opts.socketPath}: is the node's agent (or containerd) running? Name the endpoint with -r unix:///…`);
  }
  const { RemoteRuntime } = await import('../../cri/remote/remote-runtime.js');
  return new RemoteRuntime({ socketPath: opts.socketPath });
}

export async function crictlCommand(argv: readonly string[], io: IoStreams, deps: CrictlDeps = {}): Promise<number> {
  try {
    return await run(argv, io, deps);
  } catch (e) {
    io.err.write(`crictl: ${e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

async function run(argv: readonly string[], io: IoStreams, deps: CrictlDeps): Promise<number> {
  const g = parseArgs(argv, GLOBAL_FLAGS, { stopAtPositional: true });
  const [name, ...rest] = g.positionals;
  if (name === undefined || name === 'help' || g.has('help')) {
    io.out.write(CRICTL_USAGE);
    return name === undefined && !g.has('help') ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) throw new UsageError(`unknown command "${name}" (see tinykube crictl help)`);
  const dataDir = g.value('data-dir') ?? DEFAULT_DATA_DIR;
  const flag = g.value('runtime-endpoint');
  const env = deps.env ?? process.env.CONTAINER_RUNTIME_ENDPOINT;
  const socketPath = chooseCriSocket({ dataDir, recorded: (deps.recordedEndpoint ?? recordedRuntimeEndpoint)(dataDir), ...(flag === undefined ? {} : { flag }), ...(env === undefined ? {} : { env }) });
  const timeout = g.value('timeout');
  const timeoutMs = timeout === undefined ? DEFAULT_TIMEOUT_MS : /^\d+$/.test(timeout) ? Number(timeout) * 1000 : durationMs('timeout', timeout);
  const opts = { socketPath, timeoutMs };
  const runtime = deps.openRuntime !== undefined ? deps.openRuntime(opts) : await openRemote(opts);
  const ctx: CrictlContext = {
    runtime, io, now: deps.now ?? Date.now, sleep: deps.sleep ?? ((ms) => delay(ms)), signal: deps.signal ?? new AbortController().signal,
  };
  try {
    return await command(ctx, rest);
  } catch (e) {
    if (e instanceof CriError || e instanceof UsageError) throw e;
    throw new CriError('Unknown', `${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  } finally {
    ctx.runtime.close?.();
  }
}

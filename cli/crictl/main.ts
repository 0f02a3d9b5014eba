/**
 * `tinykube crictl`: crictl's commands over tinykube's own CRI-shaped runtime, so it shows what
 * the agent sees. Global flags come before the command:
 *   [--runtime-endpoint docker:///var/run/docker.sock | -r …] [--node NAME] [--data-dir D]
 * Exit codes: 0 ok (exec: the command's), 1 runtime error, 2 usage; errors are one stderr line.
 */
import { CriError } from '../../cri/errors.js';
import { parseArgs } from './args.js';
import { UsageError } from '../flags.js';
import type { FlagSpec } from './args.js';
import type { Command, CrictlContext } from './context.js';
import type { IoStreams } from '../io-streams.js';
import { openRuntime } from './runtime-target.js';
import { DEFAULT_RUNTIME_ENDPOINT } from '../defaults.js';
import type { CrictlRuntime } from './runtime-target.js';
import { createPodIpLookup } from './sandbox-ips.js';
import type { PodIpLookup } from './sandbox-ips.js';
import { execCommand } from './commands/exec.js';
import { imagesCommand } from './commands/images.js';
import { inspectContainerCommand, inspectSandboxCommand } from './commands/inspect.js';
import { logsCommand } from './commands/logs.js';
import { podsCommand } from './commands/pods.js';
import { psCommand } from './commands/ps.js';
import { pullCommand, rmiCommand } from './commands/pull.js';
import { rmCommand, rmpCommand, stopCommand, stoppCommand } from './commands/rm.js';
import { statsCommand } from './commands/stats.js';
import { infoCommand, versionCommand } from './commands/version.js';

export const CRICTL_USAGE = `usage: tinykube crictl [--runtime-endpoint docker:///var/run/docker.sock] [--node NAME] [--data-dir D] COMMAND [flags]

commands:
  version                       runtime name and version
  info                          runtime status conditions (JSON)
  pods                          list pod sandboxes  [--name RE] [--namespace RE] [--state ready|notready] [--label k=v] [-q] [-o json|yaml] [-l] [-n N]
  ps                            list containers     [-a] [-q] [--pod ID] [--name RE] [--state S] [--label k=v] [-o json|yaml] [-l] [-n N]
  images [REPO]                 list images         [-q] [--digests] [-o json|yaml]
  inspect ID...                 container status (JSON)
  inspectp ID...                pod sandbox status with its IP (JSON)
  logs [-f] [--tail N] [-t] ID  container logs
  exec [-i] [-t] ID CMD...      run a command in a container
  stats [ID...]                 container CPU, memory and disk  [-a] [--pod ID] [-o json|yaml]
  pull IMAGE | rmi IMAGE...     pull or remove images
  stop ID... | rm [-f] ID...    stop or remove containers
  stopp ID... | rmp [-f] ID...  stop or remove pod sandboxes
IDs may be unique prefixes. --node limits the view to one node's runtime scope (default: every tinykube pod).
`;

const COMMANDS: Record<string, Command> = {
  version: versionCommand, info: infoCommand, pods: podsCommand, ps: psCommand, images: imagesCommand, img: imagesCommand,
  inspect: inspectContainerCommand, inspectp: inspectSandboxCommand, logs: logsCommand, exec: execCommand, stats: statsCommand,
  pull: pullCommand, rmi: rmiCommand, stop: stopCommand, rm: rmCommand, stopp: stoppCommand, rmp: rmpCommand,
};

const GLOBAL_FLAGS: FlagSpec = {
  'runtime-endpoint': { kind: 'value', short: 'r' }, node: { kind: 'value' }, 'data-dir': { kind: 'value' }, help: { kind: 'bool', short: 'h' },
};

export interface CrictlDeps {
  openRuntime?: (opts: { endpoint: string; node?: string }) => CrictlRuntime;
  podIp?: (opts: { dataDir?: string }) => PodIpLookup;
  now?: () => number;
  signal?: AbortSignal;
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
  const node = g.value('node');
  const dataDir = g.value('data-dir');
  const runtime = (deps.openRuntime ?? openRuntime)({ endpoint: g.value('runtime-endpoint') ?? DEFAULT_RUNTIME_ENDPOINT, ...(node === undefined ? {} : { node }) });
  const ctx: CrictlContext = {
    runtime, io, now: deps.now ?? Date.now, signal: deps.signal ?? new AbortController().signal,
    podIp: (deps.podIp ?? createPodIpLookup)(dataDir === undefined ? {} : { dataDir }),
  };
  try {
    return await command(ctx, rest);
  } catch (e) {
    if (e instanceof CriError || e instanceof UsageError) throw e;
    throw new CriError('Unknown', `${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

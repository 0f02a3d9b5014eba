/**
 * `tinykube down`: stops what `up` started (the agent first, then the control plane), removes the
 * node's pods and the host's pod network; `--purge` also deletes the data dir.
 */
import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { alive, readPidFile, terminate } from '../daemon-processes.js';
import { DEFAULT_DATA_DIR } from '../defaults.js';
import { bool, parseFlags, str } from '../flags.js';
import type { IoStreams } from '../io-streams.js';
import { nodeNameOf } from '../node-name.js';
import { recordedRuntimeEndpoint } from '../node-runtime.js';
import { agentPid } from '../up/up-agent.js';
import { CONTROL_PID_FILE } from '../up/up-command.js';
import { removeHostContainerdNetwork, removeHostNetwork, removeNodeContainers } from './down-node.js';

const STOP_GRACE_MS = 15_000;

export async function downCommand(argv: readonly string[], io: IoStreams): Promise<number> {
  const p = parseFlags(argv, { values: ['data-dir'], booleans: ['purge'] });
  const dataDir = str(p, 'data-dir', DEFAULT_DATA_DIR);
  const apid = agentPid(dataDir);
  const agentRan = apid !== undefined && alive(apid);
  if (agentRan) {
    await terminate(apid, STOP_GRACE_MS);
    io.out.write(`Stopped the node agent (pid ${apid})\n`);
  }
  await unlink(join(dataDir, 'agent.pid')).catch(() => undefined); // absent already: fine
  const runtimeEndpoint = recordedRuntimeEndpoint(dataDir);
  await removeNodeContainers(dataDir, nodeNameOf(dataDir), { runtimeEndpoint });
  await removeHostNetwork();
  await removeHostContainerdNetwork(runtimeEndpoint);
  const pid = readPidFile(join(dataDir, CONTROL_PID_FILE));
  if (pid !== undefined && alive(pid)) {
    await terminate(pid, STOP_GRACE_MS);
    io.out.write(`Stopped the control plane (pid ${pid})\n`);
  } else if (!agentRan) {
    io.out.write('Nothing was running\n');
  }
  await unlink(join(dataDir, CONTROL_PID_FILE)).catch(() => undefined); // absent already: fine
  if (bool(p, 'purge')) {
    await rm(dataDir, { recursive: true, force: true });
    io.out.write(`Deleted ${dataDir}\n`);
  }
  return 0;
}

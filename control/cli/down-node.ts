/**
 * What `tinykube down` removes on the node side: the pods the agent ran here (through the same
 * runtime, so CNI releases their addresses) and the pod bridge.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderConflist } from '../../cri/cni/conflist.js';
import { createRuntime } from '../../cri/registry.js';

const run = promisify(execFile);
export const POD_BRIDGE = 'tk0';

export async function removeNodeContainers(dataDir: string, nodeName: string, bridge = POD_BRIDGE): Promise<number> {
  let removed = 0;
  try {
    const conflist = renderConflist({ name: 'tinykube', bridge, subnet: '169.254.254.0/30', dataDir: join(dataDir, 'cni', 'networks') });
    const runtime = createRuntime('docker:///var/run/docker.sock', { cni: { conflist }, stateDir: join(dataDir, 'runtime'), scope: nodeName });
    for (const sb of await runtime.listPodSandbox()) {
      await runtime.stopPodSandbox(sb.id);
      await runtime.removePodSandbox(sb.id);
      removed++;
    }
  } catch {
    // no Docker daemon, nothing to remove: down still stops the processes
  }
  await run('ip', ['link', 'del', bridge]).catch(() => undefined); // no bridge: nothing to do
  return removed;
}

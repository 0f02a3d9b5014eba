/**
 * What `tinykube down` removes on the node side: the pods the agent ran here (through the same
 * runtime, so CNI releases their addresses) and the pod bridge.
 */
import { join } from 'node:path';
import { renderConflist } from '../../cri/cni/conflist.js';
import { createRuntime } from '../../cri/registry.js';
import { teardownNodeNetwork } from '../../agent/network/node-setup.js';
import { removePodRoutes } from '../../agent/network/routes.js';
import { ExecIptables } from '../../netproxy/iptables.js';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import { silentLogger } from '../../control/util/log.js';
import { DOCKER_ENDPOINT } from '../defaults.js';

export const POD_BRIDGE = 'tk0';

export async function removeNodeContainers(dataDir: string, nodeName: string, bridge = POD_BRIDGE): Promise<number> {
  let removed = 0;
  try {
    const conflist = renderConflist({ name: 'tinykube', bridge, subnet: '169.254.254.0/30', dataDir: join(dataDir, 'cni', 'networks') });
    const runtime = createRuntime(DOCKER_ENDPOINT, { cni: { conflist }, stateDir: join(dataDir, 'runtime'), scope: nodeName });
    for (const sb of await runtime.listPodSandbox()) {
      await runtime.stopPodSandbox(sb.id);
      await runtime.removePodSandbox(sb.id);
      removed++;
    }
  } catch {
    // no Docker daemon, nothing to remove: down still stops the processes
  }
  await new ProcessRunner().run('ip', ['link', 'del', bridge]).catch(() => undefined); // no bridge: nothing to do
  return removed;
}

/** The host-mode network setup of `up` (routes, rule, FORWARD chain, DNS address), pod routes and service rules. */
export async function removeHostNetwork(bridge = POD_BRIDGE): Promise<void> {
  const log = silentLogger();
  await teardownNodeNetwork({ mode: 'host', bridge, podCidr: '10.244.0.0/24', dnsIP: '10.96.0.10', log }).catch(() => undefined); // partly set up: best effort
  await removePodRoutes().catch(() => undefined); // none: fine
  await new ExecIptables({ log }).cleanup().catch(() => undefined); // no TK- chains: fine
}

/**
 * What `tinykube down` removes on the node side: the pods the agent ran here (through the same
 * runtime, so CNI releases their addresses), the pod bridge, and on the host's containerd the
 * pod network it rendered for the node.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { renderConflist } from '../../cri/cni/conflist.js';
import { createRuntime } from '../../cri/registry.js';
import type { Runtime } from '../../cri/types.js';
import { teardownNodeNetwork } from '../../agent/network/node-setup.js';
import { removePodRoutes } from '../../agent/network/routes.js';
import { ExecIptables } from '../../netproxy/iptables.js';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import { silentLogger } from '../../control/util/log.js';
import { MANAGED_LABEL } from '../../agent/labels.js';
import { CONTAINERD_ENDPOINT, DOCKER_ENDPOINT } from '../defaults.js';
import { configFilesIn } from '../../cri/containerd/config-writer.js';
import { CNI_RENDERED_FILE } from '../../cri/containerd/config.js';
import { HOST_CONTAINERD_CONFIG_DIR } from '../containerd/containerd-command.js';

export const POD_BRIDGE = 'tk0';

export interface NodeContainersOptions {
  /** The node's pod bridge (default tk0). */
  bridge?: string;
  /** The node's runtime (default Docker's endpoint). */
  runtimeEndpoint?: string;
}

/** Stops and removes the sandboxes (and so the containers) the node's agent made; returns how many. */
export async function removeNodeContainers(dataDir: string, nodeName: string, o: NodeContainersOptions = {}): Promise<number> {
  const bridge = o.bridge ?? POD_BRIDGE;
  let removed = 0;
  try {
    const conflist = renderConflist({ name: 'tinykube', bridge, subnet: '169.254.254.0/30', dataDir: join(dataDir, 'cni', 'networks') });
    const runtime: Runtime & { close?(): void } = await createRuntime(o.runtimeEndpoint ?? DOCKER_ENDPOINT, { cni: { conflist }, stateDir: join(dataDir, 'runtime'), scope: nodeName });
    try {
      // the agent's own (a runtime such as containerd may serve others too)
      for (const sb of await runtime.listPodSandbox({ labelSelector: { [MANAGED_LABEL]: 'true' } })) {
        await runtime.stopPodSandbox(sb.id);
        await runtime.removePodSandbox(sb.id);
        removed++;
      }
    } finally {
      runtime.close?.(); // a gRPC channel would keep `down` from exiting
    }
  } catch {
    // no runtime answering, nothing to remove: down still stops the processes
  }
  await new ProcessRunner().run('ip', ['link', 'del', bridge]).catch(() => undefined); // no bridge: nothing to do
  return removed;
}

/**
 * The pod network the host's containerd rendered from its template for the node's podCIDR
 * (UpdateRuntimeConfig): containerd renders only while no CNI config is loaded, so a stale one
 * would outlive `down` and give the next `up`'s pods the old subnet. Other endpoints: nothing.
 */
export async function removeHostContainerdNetwork(runtimeEndpoint: string): Promise<void> {
  if (runtimeEndpoint !== CONTAINERD_ENDPOINT) return;
  await rm(join(configFilesIn(HOST_CONTAINERD_CONFIG_DIR).cniConfDir, CNI_RENDERED_FILE), { force: true });
}

/** The host-mode network setup of `up` (routes, rule, FORWARD chain, DNS address), pod routes and service rules. */
export async function removeHostNetwork(bridge = POD_BRIDGE): Promise<void> {
  const log = silentLogger();
  await teardownNodeNetwork({ mode: 'host', bridge, podCidr: '10.244.0.0/24', dnsIP: '10.96.0.10', log }).catch(() => undefined); // partly set up: best effort
  await removePodRoutes().catch(() => undefined); // none: fine
  await new ExecIptables({ log }).cleanup().catch(() => undefined); // no TK- chains: fine
}

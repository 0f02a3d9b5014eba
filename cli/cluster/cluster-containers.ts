/**
 * Removes a node's pod containers by its runtime scope label, straight through the Docker API.
 * No CNI DEL: `cluster down` runs in the host netns, where the node's plugins (bridge, portmap,
 * firewall) must not touch anything; the node netns is deleted next and takes the veths, the pod
 * bridge and the rules with it, and the host-local IPAM files go with the node's data dir.
 */
import { DockerEngine } from '../../cri/docker/engine/client.js';
import { LABEL_SCOPE } from '../../cri/docker/labels.js';
import { parseRuntimeEndpoint } from '../../cri/endpoint.js';

export async function removeScopeContainers(runtimeEndpoint: string, scope: string): Promise<number> {
  const ep = parseRuntimeEndpoint(runtimeEndpoint);
  if (ep.kind !== 'docker') throw new Error(`cannot remove containers through ${runtimeEndpoint}: only docker:// is supported`);
  const docker = new DockerEngine({ socketPath: ep.socketPath });
  try {
    const rows = await docker.listContainers({ all: true, filters: { label: [`${LABEL_SCOPE}=${scope}`] } });
    // app containers first, then the sandboxes whose netns they share
    rows.sort((a, b) => Number(a.Labels['io.kubernetes.docker.type'] === 'podsandbox') - Number(b.Labels['io.kubernetes.docker.type'] === 'podsandbox'));
    let removed = 0;
    for (const r of rows) {
      try {
        await docker.removeContainer(r.Id, { force: true, v: true });
        removed++;
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode !== 404) throw new Error(`remove container ${r.Id.slice(0, 12)}: ${(e as Error).message}`, { cause: e });
      }
    }
    return removed;
  } finally {
    docker.close();
  }
}

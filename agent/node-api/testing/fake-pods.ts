/**
 * Pods on a FakeRuntime for node API tests: runFakePod() runs a sandbox and started containers,
 * labelled as the agent labels them; fakePodLookup() finds them as the kubelet core does
 * (PodManager's PodLookup: newest attempt first, `previous` = the last exited one before it).
 */
import type { FakeRuntime } from '../../../cri/fake/fake-runtime.js';
import type { Runtime } from '../../../cri/types.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, podLabels } from '../../labels.js';
import type { PodLookup } from '../../types.js';

export interface FakePod { sandboxId: string; containers: Map<string, string> }

export async function runFakePod(rt: FakeRuntime, o: { namespace: string; name: string; image: string; containers: readonly string[] }): Promise<FakePod> {
  const labels = podLabels({ name: o.name, namespace: o.namespace, uid: `uid-${o.name}` });
  const sandbox = { metadata: { name: o.name, namespace: o.namespace, uid: `uid-${o.name}`, attempt: 0 }, labels };
  const sandboxId = await rt.runPodSandbox(sandbox);
  const containers = new Map<string, string>();
  for (const name of o.containers) {
    const id = await rt.createContainer(sandboxId, { metadata: { name, attempt: 0 }, image: { image: o.image }, labels: { ...labels, [CONTAINER_NAME_LABEL]: name } }, sandbox);
    await rt.startContainer(id);
    containers.set(name, id);
  }
  return { sandboxId, containers };
}

export function fakePodLookup(rt: Pick<Runtime, 'listContainers' | 'listPodSandbox'>): PodLookup {
  const selector = (namespace: string, pod: string) => ({ [POD_NAMESPACE_LABEL]: namespace, [POD_NAME_LABEL]: pod });
  return {
    async containerId(namespace, pod, container, opts = {}) {
      const mine = (await rt.listContainers({ labelSelector: selector(namespace, pod) })).filter((c) => c.metadata.name === container)
        .sort((a, b) => b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt);
      return (opts.previous === true ? mine.find((c, i) => i > 0 && c.state === 'CONTAINER_EXITED') : mine[0])?.id;
    },
    async sandboxId(namespace, pod) {
      const ready = await rt.listPodSandbox({ state: 'SANDBOX_READY', labelSelector: selector(namespace, pod) });
      return ready.sort((a, b) => b.createdAt - a.createdAt)[0]?.id;
    },
  };
}

/** The default plugin set and upstream's default score weights. */
import type { Snapshot } from './snapshot.js';
import type { ClusterEvent, Profile } from './types.js';
import { balancedAllocationPlugin } from './plugins/balanced-allocation.js';
import { imageLocalityPlugin } from './plugins/image-locality.js';
import { interPodAffinityPlugin } from './plugins/inter-pod-affinity.js';
import { leastAllocatedPlugin } from './plugins/least-allocated.js';
import { nodeAffinityPlugin } from './plugins/node-affinity.js';
import { nodeNamePlugin } from './plugins/node-name.js';
import { nodePortsPlugin } from './plugins/node-ports.js';
import { nodeResourcesFitPlugin } from './plugins/node-resources-fit.js';
import { nodeUnschedulablePlugin } from './plugins/node-unschedulable.js';
import { selectorSpreadPlugin } from './plugins/selector-spread.js';
import { taintTolerationPlugin } from './plugins/taint-toleration.js';

export function defaultProfile(snapshot: Snapshot): Profile {
  const interPod = interPodAffinityPlugin(snapshot);
  return {
    preFilters: [nodeAffinityPlugin, nodePortsPlugin, interPod],
    filters: [nodeUnschedulablePlugin, nodeNamePlugin, taintTolerationPlugin, nodeAffinityPlugin, nodePortsPlugin, nodeResourcesFitPlugin, interPod],
    scores: [
      { plugin: taintTolerationPlugin, weight: 3 },
      { plugin: nodeAffinityPlugin, weight: 2 },
      { plugin: leastAllocatedPlugin, weight: 1 },
      { plugin: balancedAllocationPlugin, weight: 1 },
      { plugin: imageLocalityPlugin(snapshot), weight: 1 },
      { plugin: interPod, weight: 2 },
      { plugin: selectorSpreadPlugin(snapshot), weight: 2 },
    ],
  };
}

/** Whether any of `plugins` (names that rejected a pod) may let it through after `event`. */
export function eventInterest(profile: Profile): (plugins: ReadonlySet<string>, event: ClusterEvent) => boolean {
  const byName = new Map<string, readonly ClusterEvent[] | undefined>();
  for (const p of [...(profile.preFilters ?? []), ...profile.filters]) byName.set(p.name, p.events);
  return (plugins, event) => {
    for (const name of plugins) {
      const events = byName.get(name);
      if (events === undefined || events.includes(event)) return true;
    }
    return false;
  };
}

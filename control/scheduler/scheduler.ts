/**
 * The scheduler: pods and nodes from the shared informers feed the Snapshot (assigned pods) and the
 * SchedulingQueue (pending pods this scheduler is responsible for); the SchedulerLoop places them
 * and binds through pods/binding. Records `Scheduled` / `FailedScheduling` events and sets the
 * PodScheduled=False condition on failure, as kube-scheduler does.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { KubeObject } from '../api/object.js';
import { keyOf } from '../api/object.js';
import { findResource } from '../api/resources.js';
import { isApiError } from '../api/status.js';
import type { ControllerContext } from '../controller-manager/controller-context.js';
import type { Runnable, RunnableFactory } from '../controller-manager/runnable.js';
import { isPodTerminal } from '../api/pod-conditions.js';
import { rfc3339 } from '../util/clock.js';
import { defaultProfile, eventInterest } from './default-profile.js';
import { Framework } from './framework.js';
import { SchedulingQueue } from './queue.js';
import { SchedulerLoop } from './scheduler-loop.js';
import type { Reporter } from './scheduler-loop.js';
import { Snapshot } from './snapshot.js';
import type { ClusterEvent } from './types.js';
import { volumeBindingPlugin } from './plugins/volume-binding.js';
import type { VolumeLister } from './plugins/volume-binding.js';
import { VolumePreBinder } from './volume-prebinder.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;
const PVS = findResource('', 'v1', 'persistentvolumes')!;
const PVCS = findResource('', 'v1', 'persistentvolumeclaims')!;
const CLASSES = findResource('storage.k8s.io', 'v1', 'storageclasses')!;

type PodObj = Pod & KubeObject;
type NodeObj = Node & KubeObject;

export interface SchedulerOptions {
  schedulerName?: string;
  /** 1..100; absent = upstream's adaptive default. */
  percentageOfNodesToScore?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/** What a node change must touch to matter to the filters (heartbeats do not). */
function nodeFingerprint(n: Node): string {
  return JSON.stringify([n.metadata?.labels, n.spec?.taints, n.spec?.unschedulable, n.status?.allocatable, n.status?.images?.length]);
}

/** A pod change other than status / resourceVersion / managedFields (upstream isPodUpdated). */
function podSpecChanged(a: Pod, b: Pod): boolean {
  const strip = (p: Pod) => JSON.stringify([p.spec, p.metadata?.labels, p.metadata?.annotations]);
  return strip(a) !== strip(b);
}

export function createScheduler(ctx: ControllerContext, opts: SchedulerOptions = {}): Runnable {
  const schedulerName = opts.schedulerName ?? DEFAULT_SCHEDULER_NAME;
  const log = ctx.log.child({ scheduler: schedulerName }); // component: bound by the controller manager
  const recorder = ctx.recorder(schedulerName);
  const pods = ctx.informers.for<PodObj>(PODS);
  const nodes = ctx.informers.for<NodeObj>(NODES);
  const snapshot = new Snapshot();
  const pvs = ctx.informers.for<PersistentVolume & KubeObject>(PVS);
  const pvcs = ctx.informers.for<PersistentVolumeClaim & KubeObject>(PVCS);
  const classes = ctx.informers.for<StorageClass & KubeObject>(CLASSES);
  const lister: VolumeLister = {
    claim: (namespace, name) => pvcs.cache.get(`${namespace}/${name}`),
    volume: (name) => pvs.cache.get(name),
    volumes: () => pvs.cache.list(),
    storageClass: (name) => classes.cache.get(name),
    assumed: () => preBinder.assumed(),
  };
  const preBinder = new VolumePreBinder({ client: ctx.client, lister, node: (name) => snapshot.get(name)?.node, log });
  const profile = defaultProfile(snapshot);
  const volumeBinding = volumeBindingPlugin(lister);
  profile.preFilters = [...(profile.preFilters ?? []), volumeBinding];
  profile.filters = [...profile.filters, volumeBinding];
  const interest = eventInterest(profile);
  const framework = new Framework({ profile, snapshot, percentageOfNodesToScore: opts.percentageOfNodesToScore });
  const queue = new SchedulingQueue({ clock: ctx.clock, initialBackoffMs: opts.initialBackoffMs, maxBackoffMs: opts.maxBackoffMs });
  const event = (e: ClusterEvent) => queue.onClusterEvent(e, interest);

  const responsible = (p: Pod): boolean =>
    (p.spec?.schedulerName || DEFAULT_SCHEDULER_NAME) === schedulerName && !p.metadata?.deletionTimestamp &&
    (p.spec?.schedulingGates ?? []).length === 0 && !isPodTerminal(p);

  /** Pending pods we schedule: the freshest cached copy, if it still needs us. */
  const lookup = (key: string): Pod | undefined => {
    const p = pods.cache.get(key);
    return p && !p.spec?.nodeName && responsible(p) ? p : undefined;
  };

  const onPod = (old: PodObj | undefined, pod: PodObj): void => {
    const key = keyOf(pod);
    if (pod.spec?.nodeName) {
      queue.delete(key);
      const known = snapshot.nodeOf(key) !== undefined;
      if (isPodTerminal(pod)) {
        if (known) { snapshot.removePod(key); event('AssignedPodDelete'); }
        return;
      }
      const confirmed = known && !snapshot.isAssumed(key);
      snapshot.addPod(pod);
      if (!confirmed) event('AssignedPodAdd');
      else if (old && JSON.stringify(old.metadata?.labels) !== JSON.stringify(pod.metadata?.labels)) event('AssignedPodUpdate');
      return;
    }
    if (!responsible(pod)) { queue.delete(key); return; }
    if (snapshot.isAssumed(key)) return; // being bound right now
    if (old) queue.update(pod, { specChanged: podSpecChanged(old, pod) }); else queue.add(pod);
  };

  pods.on({
    add: (p) => onPod(undefined, p),
    update: (old, p) => onPod(old, p),
    delete: (p) => {
      const key = keyOf(p);
      queue.delete(key);
      if (snapshot.nodeOf(key) !== undefined) { snapshot.removePod(key); event('AssignedPodDelete'); }
    },
  });
  nodes.on({
    add: (n) => { snapshot.setNode(n); event('NodeAdd'); },
    update: (old, n) => { snapshot.setNode(n); if (nodeFingerprint(old) !== nodeFingerprint(n)) event('NodeUpdate'); },
    delete: (n) => snapshot.removeNode(n.metadata?.name ?? ''),
  });

  for (const inf of [pvs, pvcs, classes] as Array<{ on: typeof pvs.on }>) {
    inf.on({ add: () => event('StorageChange'), update: () => event('StorageChange'), delete: () => event('StorageChange') });
  }

  const reporter: Reporter = {
    scheduled(pod, nodeName) {
      const md = pod.metadata ?? {};
      log.info({ pod: keyOf(pod), node: nodeName }, 'Bound pod');
      recorder.event(pod as PodObj, 'Normal', 'Scheduled', `Successfully assigned ${md.namespace}/${md.name} to ${nodeName}`);
    },
    unschedulable(pod, message) {
      recorder.event(pod as PodObj, 'Warning', 'FailedScheduling', message);
      void setUnschedulableCondition(pod, message).catch((err: unknown) => {
        if (!(isApiError(err) && err.code === 404)) log.warn({ err, pod: keyOf(pod) }, 'Failed to update pod condition');
      });
    },
    bindFailed(pod, err) {
      if (isApiError(err) && err.code === 404) return;
      const msg = err instanceof Error ? err.message : String(err);
      recorder.event(pod as PodObj, 'Warning', 'FailedScheduling', `running Bind plugin "DefaultBinder": ${msg}`);
    },
  };

  async function setUnschedulableCondition(pod: Pod, message: string): Promise<void> {
    const cur = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
    if (cur?.status === 'False' && cur.reason === 'Unschedulable' && cur.message === message) return;
    const md = pod.metadata ?? {};
    const lastTransitionTime = cur?.status === 'False' && cur.lastTransitionTime ? cur.lastTransitionTime : rfc3339(ctx.clock.now());
    const condition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime };
    await ctx.client.patch(PODS, md.namespace, md.name ?? '', 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' });
  }

  const loop = new SchedulerLoop({
    framework, queue, reporter, log, lookup,
    binder: {
      async bind(pod, nodeName) {
        await preBinder.preBind(pod, nodeName);
        await ctx.client.bind(PODS, pod.metadata?.namespace ?? 'default', pod.metadata?.name ?? '', nodeName, pod.metadata?.uid);
      },
    },
  });

  return {
    async run(signal: AbortSignal): Promise<void> {
      for (const inf of [pods, nodes, pvs, pvcs, classes] as Array<{ waitForSync: typeof pods.waitForSync }>) if (!(await inf.waitForSync(signal))) return;
      log.info('Started scheduler');
      signal.addEventListener('abort', () => queue.close(), { once: true });
      await loop.run(signal);
      await loop.drain();
    },
  };
}

/** The default scheduler as the controller manager builds it: logs as its own component, not a controller. */
export const SCHEDULER: RunnableFactory = { name: 'scheduler', component: 'scheduler', create: (ctx) => createScheduler(ctx) };

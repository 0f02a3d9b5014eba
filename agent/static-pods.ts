/**
 * Static pods (kubelet's file source): every YAML/JSON manifest in <dataDir>/manifests is a pod
 * this node runs without the API, re-read every 20 s. Each gets the name <name>-<node>, a UID
 * hashed from its content and the node, defaults applied, and a read-only mirror pod in the API
 * (annotation kubernetes.io/config.mirror) that carries its status.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Logger } from 'pino';
import { parse } from 'yaml';
import { defaultPod } from '../control/api/defaults/pod.js';
import type { KubeObject } from '../control/api/object.js';
import { findResource } from '../control/api/resources.js';
import { isApiError } from '../control/api/status.js';
import type { RestClient } from '../control/client/rest-client.js';
import { sleep } from '../control/util/abort.js';
import { rfc3339 } from '../control/util/clock.js';
import type { Clock } from '../control/util/clock.js';
import { CONFIG_HASH_ANNOTATION, CONFIG_MIRROR_ANNOTATION, CONFIG_SEEN_ANNOTATION, CONFIG_SOURCE_ANNOTATION } from './labels.js';

const PODS = findResource('', 'v1', 'pods')!;

/** PURE: a manifest's pod as this node runs it. */
export function staticPodFrom(manifest: Pod, nodeName: string, source: string, seen: Date): Pod {
  const uid = createHash('md5').update(JSON.stringify(manifest)).update(nodeName).digest('hex');
  const md = manifest.metadata ?? {};
  const pod: Record<string, unknown> = {
    ...structuredClone(manifest), apiVersion: 'v1', kind: 'Pod',
    metadata: {
      ...structuredClone(md), name: `${md.name ?? ''}-${nodeName}`, namespace: md.namespace || 'default', uid,
      annotations: { ...(md.annotations ?? {}), [CONFIG_HASH_ANNOTATION]: uid, [CONFIG_SEEN_ANNOTATION]: seen.toISOString(), [CONFIG_SOURCE_ANNOTATION]: source },
    },
    spec: { ...structuredClone(manifest.spec ?? { containers: [] }), nodeName },
  };
  defaultPod(pod);
  pod['status'] = { ...(pod['status'] as object | undefined), phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: rfc3339(seen) }] };
  return pod as Pod;
}

export interface StaticPodSink {
  upsertStatic(pod: Pod): void;
  removeStatic(uid: string): void;
  mirrorOf(pod: Pod): (Pod & KubeObject) | undefined;
}

export class StaticPodSource {
  private readonly current = new Map<string, Pod>();

  /** `nodeUid`: the Node's uid once registered; mirror pods are owned by the Node, as upstream's kubelet makes them. */
  constructor(private readonly o: { dir: string; nodeName: string; client: RestClient; sink: StaticPodSink; log: Logger; clock: Clock; checkMs: number; nodeUid?: () => string | undefined }) {}

  /** Read the manifests once and hand changes to the sink. */
  async load(): Promise<void> {
    let names: string[];
    try { names = (await readdir(this.o.dir)).filter((n) => /\.(ya?ml|json)$/.test(n) && !n.startsWith('.')).sort(); } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') names = []; else throw err;
    }
    const next = new Map<string, Pod>();
    for (const n of names) {
      const file = join(this.o.dir, n);
      try {
        const manifest = parse(await readFile(file, 'utf8')) as Pod;
        if (manifest?.kind !== 'Pod' || !manifest.metadata?.name) throw new Error('not a Pod with a name');
        const old = [...this.current.values()].find((p) => p.metadata?.annotations?.[CONFIG_SOURCE_ANNOTATION] === 'file' && p.metadata.name === `${manifest.metadata?.name}-${this.o.nodeName}`);
        const pod = staticPodFrom(manifest, this.o.nodeName, 'file', this.o.clock.now());
        const keep = old?.metadata?.uid === pod.metadata?.uid ? old : pod;
        next.set(keep!.metadata?.uid ?? '', keep!);
      } catch (err) {
        this.o.log.warn({ err, file }, 'Failed to read static pod manifest');
      }
    }
    for (const [uid, pod] of next) if (!this.current.has(uid)) this.o.sink.upsertStatic(pod);
    for (const uid of this.current.keys()) if (!next.has(uid)) this.o.sink.removeStatic(uid);
    this.current.clear();
    for (const [k, v] of next) this.current.set(k, v);
  }

  /** Keep a mirror pod in the API for each static pod; replace one whose hash is stale. */
  async syncMirrors(): Promise<void> {
    const nodeUid = this.o.nodeUid?.();
    for (const pod of this.current.values()) {
      const md = pod.metadata ?? {};
      const hash = md.annotations?.[CONFIG_HASH_ANNOTATION] ?? '';
      const mirror = this.o.sink.mirrorOf(pod);
      try {
        if (mirror && mirror.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] === hash) continue;
        if (mirror) await this.o.client.delete(PODS, md.namespace, md.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: mirror.metadata?.uid } });
        const m: Pod = {
          apiVersion: 'v1', kind: 'Pod',
          metadata: {
            name: md.name, namespace: md.namespace, labels: md.labels, annotations: { ...(md.annotations ?? {}), [CONFIG_MIRROR_ANNOTATION]: hash },
            ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.o.nodeName, uid: nodeUid, controller: true }] } : {}),
          },
          spec: pod.spec,
        };
        await this.o.client.create(PODS, md.namespace, m as KubeObject);
        this.o.log.info({ pod: `${md.namespace}/${md.name}` }, 'Created mirror pod');
      } catch (err) {
        if (!(isApiError(err) && err.code === 409)) this.o.log.warn({ err, pod: `${md.namespace}/${md.name}` }, 'Failed to sync mirror pod');
      }
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(this.o.checkMs, signal);
      if (signal.aborted) return;
      try { await this.load(); } catch (err) { this.o.log.warn({ err }, 'Failed to read static pod manifests'); }
      await this.syncMirrors();
    }
  }

  /** The static pods as last read. */
  pods(): Pod[] { return [...this.current.values()]; }
}

/**
 * Pod and PodTemplateSpec defaults (core/v1 defaults.go), plus what the pod registry strategy and
 * the Priority admission plugin set on create (status phase/qosClass, priority, preemptionPolicy).
 */
import { quantityOf } from '../quantity.js';
import { ensure, rec, recs, setDefault, str, type Obj } from '../validation/obj.js';

const DEFAULT_MODE = 0o644; // 420

/** `:latest` or no tag (and no digest) pulls Always; anything else IfNotPresent. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'Always';
  return image.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHandler(h: Obj | undefined): void {
  const http = rec(h?.['httpGet']);
  if (http) {
    setDefault(http, 'path', '/');
    setDefault(http, 'scheme', 'HTTP');
  }
}

function defaultProbe(p: Obj | undefined): void {
  if (!p) return;
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  defaultHandler(p);
}

function defaultContainer(c: Obj): void {
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'imagePullPolicy', defaultPullPolicy(str(c['image'])));
  setDefault(c, 'resources', {});
  for (const port of recs(c['ports'])) setDefault(port, 'protocol', 'TCP');
  for (const ev of recs(c['env'])) {
    const fieldRef = rec(rec(ev['valueFrom'])?.['fieldRef']);
    if (fieldRef) setDefault(fieldRef, 'apiVersion', 'v1');
  }
  defaultProbe(rec(c['livenessProbe']));
  defaultProbe(rec(c['readinessProbe']));
  defaultProbe(rec(c['startupProbe']));
  const lifecycle = rec(c['lifecycle']);
  defaultHandler(rec(lifecycle?.['postStart']));
  defaultHandler(rec(lifecycle?.['preStop']));
}

const SOURCES = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'flocker', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc',
  'flexVolume', 'configMap', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk',
  'storageos', 'projected', 'scaleIO', 'csi', 'ephemeral', 'image',
];

function defaultVolume(v: Obj): void {
  if (!SOURCES.some((s) => rec(v[s]))) v['emptyDir'] = {};
  for (const kind of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const src = rec(v[kind]);
    if (src) setDefault(src, 'defaultMode', DEFAULT_MODE);
  }
  const hostPath = rec(v['hostPath']);
  if (hostPath) setDefault(hostPath, 'type', '');
  for (const src of recs(rec(v['projected'])?.['sources'])) {
    for (const item of recs(rec(src['downwardAPI'])?.['items'])) {
      const fieldRef = rec(item['fieldRef']);
      if (fieldRef) setDefault(fieldRef, 'apiVersion', 'v1');
    }
    const sat = rec(src['serviceAccountToken']);
    if (sat) setDefault(sat, 'expirationSeconds', 3600);
  }
  for (const item of recs(rec(v['downwardAPI'])?.['items'])) {
    const fieldRef = rec(item['fieldRef']);
    if (fieldRef) setDefault(fieldRef, 'apiVersion', 'v1');
  }
}

/** SetDefaults_PodSpec and everything under it; used for Pods and every pod template. */
export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const c of recs(spec['containers'])) defaultContainer(c);
  for (const c of recs(spec['initContainers'])) defaultContainer(c);
  for (const v of recs(spec['volumes'])) defaultVolume(v);
}

/** Defaults for a PodTemplateSpec (Deployment/ReplicaSet/DaemonSet/Job/CronJob/RC templates). */
export function defaultPodTemplate(template: Obj): void {
  defaultPodSpec(ensure(template, 'spec'));
}

const CPU_MEM = ['cpu', 'memory'] as const;

function quantities(list: Obj | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const k of CPU_MEM) {
    const v = list?.[k];
    if (v === undefined) continue;
    try {
      const q = quantityOf(v);
      if (q !== 0) out.set(k, q);
    } catch {
      // malformed quantities are reported by validation; they do not count toward QoS
    }
  }
  return out;
}

/** qos.ComputePodQOS over init and regular containers (pod-level resources ignored). */
export function computeQOSClass(spec: Obj): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...recs(spec['initContainers']), ...recs(spec['containers'])];
  let anyRequest = false;
  let anyLimit = false;
  let guaranteed = true;
  for (const c of containers) {
    const res = rec(c['resources']);
    const req = quantities(rec(res?.['requests']));
    const lim = quantities(rec(res?.['limits']));
    if (req.size) anyRequest = true;
    if (lim.size) anyLimit = true;
    if (lim.size !== CPU_MEM.length) guaranteed = false;
    for (const [k, v] of req) if (lim.get(k) !== v) guaranteed = false;
  }
  if (!anyRequest && !anyLimit) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** SetDefaults_Pod (requests from limits, enableServiceLinks, hostNetwork ports) + create-time fields. */
export function defaultPod(pod: Obj): void {
  const spec = ensure(pod, 'spec');
  for (const c of [...recs(spec['containers']), ...recs(spec['initContainers'])]) {
    const res = rec(c['resources']);
    const limits = rec(res?.['limits']);
    if (res && limits) {
      const requests = ensure(res, 'requests');
      for (const [k, v] of Object.entries(limits)) setDefault(requests, k, v);
    }
    if (spec['hostNetwork'] === true) {
      for (const port of recs(c['ports'])) if (!port['hostPort']) port['hostPort'] = port['containerPort'];
    }
  }
  setDefault(spec, 'enableServiceLinks', true);
  defaultPodSpec(spec);
  if (!str(spec['priorityClassName'])) setDefault(spec, 'priority', 0);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  const status = ensure(pod, 'status');
  setDefault(status, 'phase', 'Pending');
  setDefault(status, 'qosClass', computeQOSClass(spec));
}

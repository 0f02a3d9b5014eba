/** Server-set metadata on create and the update-time rules for it (rest.BeforeCreate / BeforeUpdate). */
import { randomUUID, randomInt } from 'node:crypto';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { groupVersion } from '../../api/resources.js';
import { rfc3339 } from '../../util/clock.js';

// upstream's utilrand alphabet: no vowels, no easily confused characters
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return s;
}

/** Fill in what the server owns on create. The namespace is already checked against the URL. */
export function initObjectMeta(obj: KubeObject, ri: ResourceInfo, ns: string | undefined, now: Date, tracksGeneration: boolean): void {
  obj.apiVersion = groupVersion(ri);
  obj.kind = ri.kind;
  const md = { ...(obj.metadata ?? {}) };
  if (!md.name && md.generateName) md.name = `${md.generateName}${randomSuffix()}`;
  if (ri.namespaced) md.namespace = ns;
  else delete md.namespace;
  md.uid = randomUUID();
  md.creationTimestamp = rfc3339(now);
  delete md.resourceVersion;
  delete md.deletionTimestamp;
  delete md.deletionGracePeriodSeconds;
  delete md.selfLink;
  if (tracksGeneration) md.generation = 1;
  else delete md.generation;
  obj.metadata = md;
}

/** Keep the immutable server-owned metadata of `old` on an update. */
export function carryObjectMeta(obj: KubeObject, old: KubeObject): void {
  const md = { ...(obj.metadata ?? {}) };
  const om = old.metadata ?? {};
  md.uid = om.uid;
  md.creationTimestamp = om.creationTimestamp;
  md.namespace = om.namespace;
  md.name = om.name;
  if (om.generateName !== undefined) md.generateName = om.generateName; else delete md.generateName;
  if (om.deletionTimestamp) {
    md.deletionTimestamp = om.deletionTimestamp;
    md.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
  } else {
    delete md.deletionTimestamp;
    delete md.deletionGracePeriodSeconds;
  }
  if (om.generation !== undefined) md.generation = om.generation; else delete md.generation;
  delete md.selfLink;
  obj.metadata = md;
}

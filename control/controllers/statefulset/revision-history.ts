/**
 * A StatefulSet's ControllerRevisions through the API (upstream getStatefulSetRevisions,
 * controller/history and truncateHistory): the update revision is the newest revision when its
 * data equals the template, an older equal revision renumbered to the next number (a rollback),
 * or a new revision, created under `<set>-<hash>` with the collision count bumped while another
 * revision holds that name with other data. The current revision is the one status names, or the
 * update revision. History beyond revisionHistoryLimit goes, oldest first, never a live one.
 */
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { RestClient } from '../../client/rest-client.js';
import { equalRevisions, newRevision, revisionHash, revisionName } from './revisions.js';
import { podRevision } from './stateful-pod.js';

const REVISIONS = findResource('apps', 'v1', 'controllerrevisions')!;
const MAX_COLLISIONS = 100;

type CR = ControllerRevision & KubeObject;

export interface SetRevisions { current: ControllerRevision; update: ControllerRevision; collisionCount: number }

/** `revisions` sorted ascending by number. */
export async function resolveRevisions(client: RestClient, set: StatefulSet, revisions: readonly ControllerRevision[]): Promise<SetRevisions> {
  let collisionCount = set.status?.collisionCount ?? 0;
  const next = (revisions.at(-1)?.revision ?? 0) + 1;
  const wanted = newRevision(set, next, collisionCount);
  const equal = revisions.filter((r) => equalRevisions(r, wanted));
  let update: ControllerRevision;
  if (equal.length > 0 && equal.at(-1) === revisions.at(-1)) {
    update = equal.at(-1)!;
  } else if (equal.length > 0) {
    const old = equal.at(-1)!;
    update = await client.update<CR>(REVISIONS, { ...structuredClone(old), apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: next } as CR);
  } else {
    const created = await createRevision(client, set, wanted, collisionCount);
    update = created.revision;
    collisionCount = created.collisionCount;
  }
  const current = revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount };
}

async function createRevision(client: RestClient, set: StatefulSet, rev: ControllerRevision, collisionCount: number): Promise<{ revision: ControllerRevision; collisionCount: number }> {
  const ns = set.metadata?.namespace;
  for (let n = collisionCount; n < collisionCount + MAX_COLLISIONS; n++) {
    const clone = structuredClone(rev);
    clone.metadata = { ...clone.metadata, name: revisionName(set.metadata?.name ?? '', revisionHash(rev.data, n)) };
    try {
      return { revision: await client.create<CR>(REVISIONS, ns, clone as CR), collisionCount: n };
    } catch (err) {
      if (!(isApiError(err) && err.code === 409 && err.reason === 'AlreadyExists')) throw err;
      const exists = await client.get<CR>(REVISIONS, ns, clone.metadata.name ?? '');
      if (equalRevisions(exists, clone)) return { revision: exists, collisionCount: n };
    }
  }
  throw new Error(`create controller revision for ${ns ?? ''}/${set.metadata?.name ?? ''}: ${MAX_COLLISIONS} name collisions`);
}

/** Deletes the oldest non-live revisions beyond the set's revisionHistoryLimit. */
export async function truncateHistory(client: RestClient, set: StatefulSet, pods: readonly Pod[], revisions: readonly ControllerRevision[], live: readonly ControllerRevision[]): Promise<void> {
  const liveNames = new Set([...live.map((r) => r.metadata?.name ?? ''), ...pods.map(podRevision)]);
  const history = revisions.filter((r) => !liveNames.has(r.metadata?.name ?? ''));
  const limit = set.spec?.revisionHistoryLimit ?? 10;
  for (const r of history.slice(0, Math.max(0, history.length - limit))) {
    try {
      await client.delete(REVISIONS, r.metadata?.namespace, r.metadata?.name ?? '', { preconditions: { uid: r.metadata?.uid } });
    } catch (err) {
      if (!(isApiError(err) && (err.code === 404 || err.code === 409))) throw err;
    }
  }
}

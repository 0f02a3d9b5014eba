/** LIST of a collection: selectors, pagination with continue tokens, Table output. */
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { groupVersion, storagePrefix } from '../../api/resources.js';
import { badRequest } from '../../api/status.js';
import { decodeKv } from '../registry/object-store.js';
import type { ObjectStore } from '../registry/object-store.js';
import { objectFilter } from '../http/filters.js';
import { q, qInt } from './query.js';
import type { Query } from './query.js';

export interface ListResponse { items: KubeObject[]; resourceVersion: string; continueToken?: string }

interface ContinueToken { rv: number; start: string }

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const o = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { rv?: unknown; start?: unknown };
    if (typeof o.rv === 'number' && typeof o.start === 'string') return { rv: o.rv, start: o.start };
  } catch {
    // fall through to the error below: a token we did not write
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

export async function listObjects(objects: ObjectStore, ri: ResourceInfo, ns: string | undefined, query: Query): Promise<ListResponse> {
  const filter = objectFilter(ri.kind, q(query, 'labelSelector'), q(query, 'fieldSelector'));
  const limit = qInt(query, 'limit');
  const cont = q(query, 'continue');
  const token = cont ? decodeContinue(cont) : undefined;
  if (!limit || limit <= 0) {
    const res = await objects.list(ri, ns);
    return { items: filter ? res.items.filter(filter) : res.items, resourceVersion: String(res.revision) };
  }
  // Paginate on a consistent snapshot: the first page's revision rides in the token.
  const items: KubeObject[] = [];
  let after = token?.start;
  let revision = token?.rv;
  for (;;) {
    const page = await objects.raw.list(storagePrefix(ri, ns), { limit: limit - items.length, continueAfter: after, revision });
    revision = page.revision;
    for (const kv of page.items) {
      const obj = decodeKv(kv);
      if (!filter || filter(obj)) items.push(obj);
    }
    after = page.continueAfter;
    if (!after || items.length >= limit) break;
  }
  return {
    items, resourceVersion: String(revision),
    continueToken: after ? encodeContinue({ rv: revision ?? 0, start: after }) : undefined,
  };
}

export function listBody(ri: ResourceInfo, res: ListResponse): Record<string, unknown> {
  const metadata: Record<string, unknown> = { resourceVersion: res.resourceVersion };
  if (res.continueToken) metadata['continue'] = res.continueToken;
  return { kind: ri.listKind, apiVersion: groupVersion(ri), metadata, items: res.items };
}

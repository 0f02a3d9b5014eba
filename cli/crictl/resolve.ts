/**
 * IDs as crictl accepts them: a full ID or a unique prefix. No match is NotFound (exit 1), more
 * than one is a usage error naming the ambiguity. Images also resolve by reference (repo:tag).
 */
import { CriError } from '../../cri/errors.js';
import type { Image, Runtime } from '../../cri/types.js';
import { UsageError } from '../flags.js';

export function matchPrefix(ids: readonly string[], prefix: string, what: string): string {
  if (prefix === '') throw new UsageError('ID cannot be empty');
  if (ids.includes(prefix)) return prefix;
  const hits = ids.filter((id) => id.startsWith(prefix));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw new CriError('NotFound', `${what} "${prefix}" not found`);
  throw new UsageError(`${what} ID prefix "${prefix}" is ambiguous: matches ${hits.length}`);
}

const FULL_ID = /^[0-9a-f]{64}$/;

/**
 * For stop/remove: a full ID that is gone already resolves to itself, so the idempotent CRI call
 * succeeds (as crictl, which passes IDs through, does when the agent removed the object first).
 */
export interface ResolveOptions { passFullId?: boolean }

function resolveIn(ids: readonly string[], prefix: string, what: string, opts: ResolveOptions): string {
  if (opts.passFullId === true && FULL_ID.test(prefix) && !ids.includes(prefix)) return prefix;
  return matchPrefix(ids, prefix, what);
}

export async function resolveSandbox(rt: Runtime, prefix: string, opts: ResolveOptions = {}): Promise<string> {
  return resolveIn((await rt.listPodSandbox()).map((s) => s.id), prefix, 'pod sandbox', opts);
}

export async function resolveContainer(rt: Runtime, prefix: string, opts: ResolveOptions = {}): Promise<string> {
  return resolveIn((await rt.listContainers()).map((c) => c.id), prefix, 'container', opts);
}

/** By reference (tinykube/busybox:1), full ID, or ID prefix with or without "sha256:". */
export async function resolveImage(rt: Runtime, ref: string): Promise<Image> {
  const all = await rt.listImages();
  const byTag = all.find((i) => i.repoTags.includes(ref) || i.repoTags.includes(`${ref}:latest`) || i.repoDigests.includes(ref));
  if (byTag !== undefined) return byTag;
  const bare = (id: string) => id.replace(/^sha256:/, '');
  const id = matchPrefix(all.map((i) => bare(i.id)), bare(ref), 'image');
  return all.find((i) => bare(i.id) === id)!;
}

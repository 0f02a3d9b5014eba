/**
 * Image references as containerd and Docker normalise them ("busybox" is docker.io/library/busybox:latest),
 * for matching a filter against what a runtime lists: runtimes may ignore ListImages' filter
 * (containerd 1.6 does), so the client applies it again, as crictl does.
 */
import { splitRegistry } from '../images/reference.js';
import type { Image } from '../types.js';

/** PURE. The fully qualified form of a reference: domain, path, and :latest when neither tag nor digest is given. */
export function normalizeImageRef(ref: string): string {
  const { host, rest } = splitRegistry(ref);
  const named = `${host}/${host === 'docker.io' && !rest.includes('/') ? 'library/' : ''}${rest}`;
  const lastPart = named.slice(named.lastIndexOf('/') + 1);
  return named.includes('@') || lastPart.includes(':') ? named : `${named}:latest`;
}

/** PURE. Whether `image` answers to `ref`: a tag or digest (normalised), or its ID (also without "sha256:", or a prefix of 12+). */
export function imageMatches(image: Image, ref: string): boolean {
  const id = image.id.replace(/^sha256:/, '');
  const bare = ref.replace(/^sha256:/, '');
  if (/^[0-9a-f]{12,64}$/.test(bare) && id.startsWith(bare)) return true;
  const want = normalizeImageRef(ref);
  return [...image.repoTags, ...image.repoDigests].some((r) => normalizeImageRef(r) === want);
}

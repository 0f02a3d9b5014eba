/** PURE helpers for the image calls: splitting a reference for pull, encoding registry credentials. */
import type { RegistryAuth } from './types.js';

/**
 * "nginx:1.27" → { fromImage: "nginx", tag: "1.27" }; "localhost:5000/web" → tag "latest";
 * "web@sha256:…" → the digest as the tag (Docker accepts a digest there). Without a tag Docker
 * would pull every tag of the repository, so "latest" is made explicit.
 */
export function splitImageRef(ref: string): { fromImage: string; tag: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { fromImage: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  if (colon >= 0 && !ref.slice(colon + 1).includes('/')) return { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { fromImage: ref, tag: 'latest' };
}

/** The X-Registry-Auth header value: JSON in padded URL-safe base64 (Go's base64.URLEncoding). */
export function registryAuthHeader(auth: RegistryAuth): string {
  return Buffer.from(JSON.stringify(auth), 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

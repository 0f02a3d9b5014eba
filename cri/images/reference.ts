/**
 * The one reading of an image reference's registry, as Docker and containerd read it: the first
 * path component is a registry host when it has a '.' or ':' or is "localhost"; otherwise the
 * registry is docker.io and a one-component name lives under library/. PURE.
 */

/** "busybox:1" → docker.io + library/busybox:1; "gcr.io/a/b:t" → gcr.io + a/b:t. */
export function splitRegistry(ref: string): { host: string; rest: string } {
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') return { host: first, rest: ref.slice(slash + 1) };
  return { host: 'docker.io', rest: slash < 0 ? `library/${ref}` : ref };
}

/**
 * The serviceAccountToken sources of a projected volume, as the kubelet's projected volume plugin
 * fills them: one TokenRequest per source (audience, expirationSeconds, bound to the pod), through
 * the token manager; and who owns the file: with fsGroup or a single runAsUser shared by every
 * container, the file is 0600 (fsGroup ownership then makes it 0640) and owned by that user
 * (upstream FsUserFrom), so a non-root container can read its own token.
 */
import type { Pod, Volume } from 'kubernetes-types/core/v1.js';
import { effectiveSecurityContext } from './security-context.js';
import type { TokenSource } from './token-manager.js';

/** The API default of serviceAccountToken.expirationSeconds. */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

/** PURE: the user every (init and app) container runs as, when they all set the same one (upstream FsUserFrom). */
export function fsUserOf(pod: Pod): number | undefined {
  let user: number | undefined;
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    const uid = effectiveSecurityContext(pod, c).runAsUser;
    if (uid == null || (user !== undefined && user !== uid)) return undefined;
    user = uid;
  }
  return user;
}

/** PURE: the mode and owner of a token file (mode from defaultMode unless fsUser/fsGroup is set). */
export function tokenFileMode(pod: Pod, defaultMode: number): { mode: number; fsUser?: number } {
  const fsUser = fsUserOf(pod);
  const fsGroup = pod.spec?.securityContext?.fsGroup;
  if (fsUser === undefined && fsGroup == null) return { mode: defaultMode };
  return { mode: 0o600, ...(fsUser === undefined ? {} : { fsUser }) };
}

/** The token of every serviceAccountToken source of the volume, by source index. Throws `failed to fetch token: …`. */
export async function projectedTokens(pod: Pod, v: Volume, tokens: TokenSource | undefined): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const sources = v.projected?.sources ?? [];
  for (const [i, s] of sources.entries()) {
    const t = s.serviceAccountToken;
    if (!t) continue;
    if (!tokens) throw new Error('failed to fetch token: this agent has no token manager');
    out.set(i, await tokens.token({
      namespace: pod.metadata?.namespace ?? 'default',
      serviceAccount: pod.spec?.serviceAccountName ?? '',
      ...(t.audience ? { audience: t.audience } : {}),
      expirationSeconds: t.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS,
      pod: { name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
    }));
  }
  return out;
}

/**
 * The agent's ServiceAccount token cache (the kubelet's token manager): a pod's projected
 * serviceAccountToken is asked for with the node's credentials (POST serviceaccounts/<sa>/token,
 * a TokenRequest bound to the pod) and kept until it is older than 80% of its lifetime or than
 * 24 h (minus up to 10 s of jitter), so the pod's periodic sync rewrites the file only then. When
 * a refresh fails, a token that has not expired yet is kept; tokens of a pod that is gone and
 * tokens that expired are dropped.
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../control/api/object.js';
import { isRecord } from '../control/api/object.js';
import { findResource } from '../control/api/resources.js';
import { ApiError, genericFailure } from '../control/api/status.js';
import type { RestClient } from '../control/client/rest-client.js';
import { resourcePath } from '../control/client/rest-client.js';
import type { Clock } from '../control/util/clock.js';

const SERVICE_ACCOUNTS = findResource('', 'v1', 'serviceaccounts')!;
const MAX_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_JITTER_MS = 10_000;

/** What a projected serviceAccountToken source asks for, for one pod. */
export interface TokenRequestFor {
  namespace: string;
  serviceAccount: string;
  audience?: string;
  expirationSeconds: number;
  pod: { name: string; uid: string };
}

interface Cached { token: string; expiresAtMs: number; expirationSeconds: number; podUid: string }

export interface TokenSource {
  /** The token for the request, from the cache while fresh; throws `failed to fetch token: …`. */
  token(req: TokenRequestFor): Promise<string>;
  /** Drop the tokens of a pod that is gone. */
  forgetPod(uid: string): void;
}

const keyOf = (r: TokenRequestFor): string =>
  JSON.stringify([r.serviceAccount, r.namespace, r.audience ?? '', r.expirationSeconds, 'Pod', r.pod.name, r.pod.uid]);

/** PURE: whether a cached token must be asked for again at `nowMs` (upstream requiresRefresh). */
export function requiresRefresh(c: Pick<Cached, 'expiresAtMs' | 'expirationSeconds'>, nowMs: number, jitterMs: number): boolean {
  const issuedAtMs = c.expiresAtMs - c.expirationSeconds * 1000;
  if (nowMs > issuedAtMs + MAX_TTL_MS - jitterMs) return true;
  return nowMs > c.expiresAtMs - (Math.floor(c.expirationSeconds * 20 / 100) * 1000) - jitterMs;
}

export class TokenManager implements TokenSource {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly o: { client: RestClient; clock: Clock; log: Logger; jitterMs?: () => number }) {}

  async token(req: TokenRequestFor): Promise<string> {
    const now = this.o.clock.now().getTime();
    for (const [k, c] of this.cache) if (c.expiresAtMs <= now) this.cache.delete(k);
    const key = keyOf(req);
    const cached = this.cache.get(key);
    const jitter = this.o.jitterMs?.() ?? Math.floor(Math.random() * MAX_JITTER_MS / 1000) * 1000;
    if (cached && !requiresRefresh(cached, now, jitter)) return cached.token;
    try {
      const fresh = await this.request(req);
      this.cache.set(key, fresh);
      return fresh.token;
    } catch (err) {
      if (cached) {
        this.o.log.error({ err, serviceAccount: `${req.namespace}/${req.serviceAccount}`, pod: req.pod.name }, "Couldn't update token");
        return cached.token;
      }
      throw new Error(`failed to fetch token: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  forgetPod(uid: string): void {
    for (const [k, c] of this.cache) if (c.podUid === uid) this.cache.delete(k);
  }

  private async request(req: TokenRequestFor): Promise<Cached> {
    const body: KubeObject = {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {},
      spec: {
        audiences: req.audience ? [req.audience] : [],
        expirationSeconds: req.expirationSeconds,
        boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: req.pod.name, uid: req.pod.uid },
      },
    } as KubeObject;
    const path = resourcePath(SERVICE_ACCOUNTS, req.namespace, req.serviceAccount, 'token');
    const res = await this.o.client.transport.request('POST', path, Buffer.from(JSON.stringify(body)), { 'Content-Type': 'application/json' });
    let parsed: unknown;
    try { parsed = JSON.parse(res.body.toString('utf8')); } catch { parsed = undefined; } // not JSON: the generic error below
    if (res.status < 200 || res.status >= 300) {
      if (isRecord(parsed) && parsed['kind'] === 'Status') throw new ApiError({ ...(parsed as object), code: res.status });
      throw genericFailure(res.status, `POST ${path}: unexpected answer ${res.status}`);
    }
    const spec = isRecord(parsed) && isRecord(parsed['spec']) ? parsed['spec'] : {};
    const status = isRecord(parsed) && isRecord(parsed['status']) ? parsed['status'] : {};
    const token = typeof status['token'] === 'string' ? status['token'] : '';
    const expiresAtMs = typeof status['expirationTimestamp'] === 'string' ? Date.parse(status['expirationTimestamp']) : NaN;
    if (!token || Number.isNaN(expiresAtMs)) throw genericFailure(500, `POST ${path}: the answer has no token or expirationTimestamp`);
    const expirationSeconds = typeof spec['expirationSeconds'] === 'number' ? spec['expirationSeconds'] : req.expirationSeconds;
    return { token, expiresAtMs, expirationSeconds, podUid: req.pod.uid };
  }
}

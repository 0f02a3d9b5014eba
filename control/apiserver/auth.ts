/** Authentication: bearer tokens and client certificates signed by the cluster CA. */
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage } from 'node:http';

export interface UserInfo {
  name: string;
  groups: string[];
  /** upstream user.Info's UID and Extra (service-account tokens, impersonation); absent when empty. */
  uid?: string;
  extra?: Record<string, string[]>;
}

export interface Authenticator {
  /** The user, or undefined when the request carries no valid credentials (tokens may need a store read). */
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined>;
}

const PUBLIC_PATHS = new Set(['/version', '/livez', '/readyz', '/healthz']);

/** Paths anyone may read (upstream's system:public-info-viewer). */
export const isPublicPath = (url: string): boolean => PUBLIC_PATHS.has(url.split('?')[0] ?? '');

/** Who a request without credentials is, where anonymous access is allowed. */
export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

/**
 * What a request without credentials may do: GET kube-public/cluster-info (kubeadm-style discovery
 * reads it before it trusts anything; upstream grants it to system:anonymous by RBAC).
 */
export const isAnonymousAllowed = (method: string, url: string): boolean =>
  method === 'GET' && url.split('?')[0] === '/api/v1/namespaces/kube-public/configmaps/cluster-info';

/** Asks each authenticator in turn; the first user found wins (upstream's union authenticator). */
export class UnionAuthenticator implements Authenticator {
  constructor(private readonly all: readonly Authenticator[]) {}

  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    for (const a of this.all) {
      const user = await a.authenticate(req);
      if (user) return user;
    }
    return undefined;
  }
}

export class TokenAndCertAuthenticator implements Authenticator {
  private readonly tokens: Map<string, UserInfo>;
  constructor(opts: { tokens: Map<string, UserInfo> }) { this.tokens = opts.tokens; }

  addToken(token: string, user: UserInfo): void { this.tokens.set(token, user); }

  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const h = req.headers.authorization;
    if (h && /^bearer /i.test(h)) return this.tokens.get(h.slice(7).trim());
    const sock = req.socket as Partial<TLSSocket>;
    if (sock.authorized && typeof sock.getPeerCertificate === 'function') {
      const cert = sock.getPeerCertificate();
      const cn = cert.subject?.CN;
      if (!cn) return undefined;
      const o = cert.subject.O;
      const groups = Array.isArray(o) ? o : o ? [o] : [];
      return { name: Array.isArray(cn) ? cn[0]! : cn, groups: [...groups, 'system:authenticated'] };
    }
    return undefined;
  }
}

/** Lets everyone in as admin: unit tests through inject(). */
export const allowAll: Authenticator = { authenticate: async () => ({ name: 'admin', groups: ['system:masters'] }) };

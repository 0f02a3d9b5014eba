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

/** Who a request without credentials is (upstream's anonymous authenticator); RBAC decides what it may do. */
export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

/** Whether the request carries credentials of any kind: a bearer token or a client certificate. */
export function hasCredentials(req: IncomingMessage): boolean {
  if (req.headers.authorization) return true;
  const sock = req.socket as Partial<TLSSocket>;
  if (typeof sock.getPeerCertificate !== 'function') return false;
  return Object.keys(sock.getPeerCertificate() ?? {}).length > 0;
}

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

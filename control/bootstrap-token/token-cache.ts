/**
 * The bootstrap token Secrets the authenticator looks up synchronously, kept in memory and fed by
 * an informer of kube-system Secrets. Holds only Secrets of the bootstrap token type; a Secret
 * whose type changes away is dropped.
 */
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import type { Informer } from '../client/informer.js';
import { TOKEN_NAMESPACE, TOKEN_SECRET_TYPE } from '../api/bootstrap-token.js';
import type { TokenSecretLookup } from './token-authenticator.js';
import { tokenSecretName } from './token.js';

export class BootstrapTokenCache implements TokenSecretLookup {
  private readonly byName = new Map<string, Secret>();

  get(tokenId: string): Secret | undefined { return this.byName.get(tokenSecretName(tokenId)); }

  get size(): number { return this.byName.size; }

  observe(s: Secret): void {
    const name = s.metadata?.name;
    if (!name || s.metadata?.namespace !== TOKEN_NAMESPACE) return;
    if (s.type === TOKEN_SECRET_TYPE) this.byName.set(name, s);
    else this.byName.delete(name);
  }

  forget(s: Secret): void {
    if (s.metadata?.namespace === TOKEN_NAMESPACE && s.metadata.name) this.byName.delete(s.metadata.name);
  }

  /** Follow an informer (of kube-system Secrets, or of every Secret). */
  follow(informer: Informer<Secret & KubeObject>): void {
    informer.on({ add: (s) => this.observe(s), update: (_old, s) => this.observe(s), delete: (s) => this.forget(s) });
  }
}

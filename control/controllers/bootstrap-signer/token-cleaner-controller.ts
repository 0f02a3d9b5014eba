/**
 * Token cleaner (upstream pkg/controller/bootstrap/tokencleaner.go): deletes bootstrap token
 * Secrets once their expiration has passed (an unparseable expiration counts as passed), with the
 * Secret's uid as a precondition so a re-created token of the same name survives. A token not yet
 * expired is looked at again when it expires. Idempotent: a Secret already gone is done.
 */
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { Informer } from '../../client/informer.js';
import { TOKEN_NAMESPACE, TOKEN_SECRET_TYPE } from '../../api/bootstrap-token.js';
import { expirationOf } from '../../bootstrap-token/token-secret.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller } from '../controller.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';

const SECRETS = findResource('', 'v1', 'secrets')!;

type SecretObj = Secret & KubeObject;
/** Look again at least this often (timers cannot wait for a token that lives for months). */
const MAX_WAIT_MS = 3_600_000;

const isTokenSecret = (o: KubeObject): boolean => o.metadata?.namespace === TOKEN_NAMESPACE && (o as SecretObj).type === TOKEN_SECRET_TYPE;

class TokenCleaner implements Reconciler {
  constructor(private readonly ctx: ControllerContext, private readonly secrets: Informer<SecretObj>) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const s = this.secrets.cache.get(key);
    if (!s || !isTokenSecret(s) || s.metadata?.deletionTimestamp) return;
    const now = this.ctx.clock.now();
    const exp = expirationOf(s, now);
    if (!exp.expired) return exp.expires ? { requeueAfterMs: Math.min(MAX_WAIT_MS, exp.expires.getTime() - now.getTime() + 1) } : undefined;
    const name = s.metadata?.name ?? '';
    try {
      await this.ctx.client.delete(SECRETS, TOKEN_NAMESPACE, name, { preconditions: { uid: s.metadata?.uid } });
      this.ctx.log.info({ secret: key, unparseable: exp.unparseable }, 'Deleted expired bootstrap token');
    } catch (err) {
      // gone already, or replaced by a new Secret of the same name (the uid precondition failed)
      if (isApiError(err) && (err.code === 404 || err.code === 409)) return;
      throw new Error(`delete expired bootstrap token ${key}`, { cause: err });
    }
  }
}

export function createTokenCleanerController(ctx: ControllerContext): Runnable {
  const secrets = ctx.informers.for<SecretObj>(SECRETS);
  const controller = new Controller({
    name: 'token-cleaner', workers: 1, log: ctx.log, reconciler: new TokenCleaner(ctx, secrets),
    watches: [{ informer: secrets as Informer<KubeObject>, toKeys: (o) => (isTokenSecret(o) ? [keyOf(o)] : []) }],
  });
  return { run: (signal) => controller.run(signal) };
}

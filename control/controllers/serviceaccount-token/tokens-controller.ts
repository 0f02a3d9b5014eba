/**
 * The tokens controller (upstream pkg/serviceaccount/tokens_controller.go): fills `token`,
 * `ca.crt` and `namespace` into every Secret of type kubernetes.io/service-account-token that
 * names a ServiceAccount (and records the SA's uid on it), deletes such Secrets once their
 * ServiceAccount is gone or was re-created, and — with `legacyServiceAccountTokenSecrets` — gives
 * every ServiceAccount a token Secret listed in its `.secrets`. Keys: `sa:<ns>/<name>` and
 * `secret:<ns>/<name>`, one queue.
 */
import type { Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { Informer } from '../../client/informer.js';
import { legacyClaims } from '../../apiserver/serviceaccount/claims.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { signJwt } from '../../pki/jwt.js';
import { serviceAccountKeyFromPem } from '../../pki/service-account-key.js';
import type { ServiceAccountKey } from '../../pki/service-account-key.js';
import { Controller, splitKey } from '../controller.js';
import type { ObjectKey, Reconciler } from '../controller.js';
import { isTokenSecretOf, newTokenSecret, tokenSecretOwner, tokenSecretUpdate } from './token-secret.js';

const SECRETS = findResource('', 'v1', 'secrets')!;
const SERVICE_ACCOUNTS = findResource('', 'v1', 'serviceaccounts')!;
const BY_OWNER = 'serviceaccount';

type SecretObj = Secret & KubeObject;
type SaObj = ServiceAccount & KubeObject;

const gone = (err: unknown): boolean => isApiError(err) && (err.code === 404 || err.code === 409);

class TokensReconciler implements Reconciler {
  /** Token Secrets seen deleted, by key: their references leave the ServiceAccount's `.secrets`. */
  readonly deleted = new Set<string>();

  constructor(
    private readonly ctx: ControllerContext, private readonly key: ServiceAccountKey,
    private readonly sas: Informer<SaObj>, private readonly secrets: Informer<SecretObj>,
  ) {}

  async reconcile(key: ObjectKey): Promise<void> {
    if (key.startsWith('secret:')) return this.syncSecret(key.slice(7));
    if (key.startsWith('sa:')) return this.syncServiceAccount(key.slice(3));
  }

  /** The ServiceAccount from the cache, or live when the cache has not seen it yet. */
  private async serviceAccount(namespace: string, name: string): Promise<SaObj | undefined> {
    const cached = this.sas.cache.get(`${namespace}/${name}`);
    if (cached) return cached;
    try {
      return await this.ctx.client.get<SaObj>(SERVICE_ACCOUNTS, namespace, name);
    } catch (err) {
      if (isApiError(err) && err.code === 404) return undefined;
      throw err;
    }
  }

  private async liveSecret(namespace: string, name: string): Promise<SecretObj | undefined> {
    if (this.deleted.has(`${namespace}/${name}`)) return undefined;
    try {
      return await this.ctx.client.get<SecretObj>(SECRETS, namespace, name);
    } catch (err) {
      if (isApiError(err) && err.code === 404) return undefined;
      throw err;
    }
  }

  private async syncSecret(key: string): Promise<void> {
    const s = this.secrets.cache.get(key);
    const owner = s ? tokenSecretOwner(s) : undefined;
    if (!s || !owner || s.metadata?.deletionTimestamp) return;
    const ns = s.metadata?.namespace ?? '';
    const sa = await this.serviceAccount(ns, owner);
    if (!sa || !isTokenSecretOf(s, sa)) {
      try {
        await this.ctx.client.delete(SECRETS, ns, s.metadata?.name ?? '', { preconditions: { uid: s.metadata?.uid } });
        this.ctx.log.info({ secret: key, serviceAccount: owner }, 'Deleted token secret of a deleted service account');
      } catch (err) {
        if (!gone(err)) throw new Error(`delete token secret ${key}`, { cause: err });
      }
      return;
    }
    const update = this.filled(s, sa);
    if (!update) return;
    await this.ctx.client.update(SECRETS, update as KubeObject); // a conflict requeues: the next look reads the newer Secret
    this.ctx.log.info({ secret: key, serviceAccount: owner }, 'Filled token secret');
  }

  /** The Secret with what it lacks filled in, undefined when it lacks nothing. */
  private filled(s: Secret, sa: ServiceAccount): Secret | undefined {
    const ns = s.metadata?.namespace ?? '';
    return tokenSecretUpdate(s, sa, {
      caCertPem: this.ctx.options.ca?.certPem,
      token: () => signJwt(legacyClaims(ns, { name: sa.metadata?.name ?? '', uid: sa.metadata?.uid ?? '' }, s.metadata?.name ?? ''), this.key),
    });
  }

  private async syncServiceAccount(key: string): Promise<void> {
    const sa = this.sas.cache.get(key);
    if (!sa || sa.metadata?.deletionTimestamp || !this.ctx.options.legacyServiceAccountTokenSecrets) return;
    const { namespace = '' } = splitKey(key);
    const refs = sa.secrets ?? [];
    const dangling = refs.filter((r) => this.deleted.has(`${namespace}/${r.name ?? ''}`) && !this.secrets.cache.get(`${namespace}/${r.name ?? ''}`));
    let hasToken = false;
    for (const r of refs) {
      // a Secret just created may not be in the cache yet: ask the server before creating another
      const s = this.secrets.cache.get(`${namespace}/${r.name ?? ''}`) ?? await this.liveSecret(namespace, r.name ?? '');
      if (s && isTokenSecretOf(s, sa)) { hasToken = true; break; }
    }
    if (hasToken && dangling.length === 0) return;
    let created: SecretObj | undefined;
    if (!hasToken) {
      const fresh = newTokenSecret(sa);
      created = await this.ctx.client.create<SecretObj>(SECRETS, namespace, (this.filled(fresh, sa) ?? fresh) as KubeObject);
    }
    try {
      const fresh = await this.ctx.client.get<SaObj>(SERVICE_ACCOUNTS, namespace, sa.metadata?.name ?? '');
      if (fresh.metadata?.uid !== sa.metadata?.uid) throw new Error('service account was re-created');
      const names = new Set(dangling.map((r) => r.name));
      fresh.secrets = [...(fresh.secrets ?? []).filter((r) => !names.has(r.name)), ...(created ? [{ name: created.metadata?.name ?? '' }] : [])];
      await this.ctx.client.update(SERVICE_ACCOUNTS, fresh);
      for (const n of names) this.deleted.delete(`${namespace}/${n ?? ''}`);
    } catch (err) {
      // the Secret is nobody's without the reference: take it back, and try again later
      if (created) await this.ctx.client.delete(SECRETS, namespace, created.metadata?.name ?? '').catch(() => undefined);
      throw new Error(`reference token secret from service account ${key}`, { cause: err });
    }
    if (created) this.ctx.log.info({ serviceAccount: key, secret: created.metadata?.name }, 'Created token secret');
  }
}

export function createTokensController(ctx: ControllerContext): Runnable {
  const pem = ctx.options.serviceAccountKeyPem;
  if (!pem) return { run: async () => { ctx.log.info('No service account key: tokens controller off'); } };
  const sas = ctx.informers.for<SaObj>(SERVICE_ACCOUNTS);
  const secrets = ctx.informers.for<SecretObj>(SECRETS);
  secrets.addIndex(BY_OWNER, (s) => { const o = tokenSecretOwner(s); return o ? [`${s.metadata?.namespace ?? ''}/${o}`] : []; });
  const reconciler = new TokensReconciler(ctx, serviceAccountKeyFromPem(pem), sas, secrets);
  secrets.on({ delete: (s) => { if (tokenSecretOwner(s)) reconciler.deleted.add(keyOf(s)); } });
  const controller = new Controller({
    name: 'serviceaccount-token', workers: 2, log: ctx.log, reconciler,
    watches: [
      { informer: sas as Informer<KubeObject>, toKeys: (sa) => [`sa:${keyOf(sa)}`, ...secrets.cache.byIndex(BY_OWNER, keyOf(sa)).map((s) => `secret:${keyOf(s)}`)] },
      { informer: secrets as Informer<KubeObject>, toKeys: (s) => { const o = tokenSecretOwner(s as SecretObj); return o ? [`secret:${keyOf(s)}`, `sa:${s.metadata?.namespace ?? ''}/${o}`] : []; } },
    ],
  });
  return { run: (signal) => controller.run(signal) };
}

/**
 * Bootstrap signer (upstream pkg/controller/bootstrap/bootstrapsigner.go), which here also owns
 * the ConfigMap: keeps kube-public/cluster-info holding the discovery kubeconfig (the advertised
 * server and the cluster CA) and, for every unexpired token with `usage-bootstrap-signing: "true"`,
 * `jws-kubeconfig-<id>` = the detached JWS of that kubeconfig under the token. Signatures of
 * tokens deleted, expired or no longer signing are removed; other keys are left alone. One key,
 * level-based: it writes only on a difference and looks again when the next token expires.
 * Without ControllerOptions.ca and .advertisedServer it does nothing.
 */
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import type { Informer } from '../../client/informer.js';
import { renderClusterInfoKubeconfig } from '../../bootstrap-token/cluster-info.js';
import type { ClusterInfo } from '../../bootstrap-token/cluster-info.js';
import {
  CLUSTER_INFO_KUBECONFIG_KEY, CLUSTER_INFO_NAME, CLUSTER_INFO_NAMESPACE, JWS_KEY_PREFIX, TOKEN_NAMESPACE, TOKEN_SECRET_TYPE,
} from '../../api/bootstrap-token.js';
import { computeDetachedSignature } from '../../bootstrap-token/jws.js';
import { expirationOf, hasUsage, parseTokenSecret } from '../../bootstrap-token/token-secret.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller } from '../controller.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';

const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;
const SECRETS = findResource('', 'v1', 'secrets')!;
const CLUSTER_INFO_KEY = `${CLUSTER_INFO_NAMESPACE}/${CLUSTER_INFO_NAME}`;
/** Look again at least this often (timers cannot wait for a token that lives for months). */
const MAX_WAIT_MS = 3_600_000;

type Cm = ConfigMap & KubeObject;
type SecretObj = Secret & KubeObject;

export interface SigningToken { id: string; secret: string; expires?: Date }

/** Tokens that may sign at `now`: well-formed, unexpired, not being deleted, usage signing. */
export function signingTokens(secrets: readonly Secret[], now: Date): SigningToken[] {
  const out: SigningToken[] = [];
  for (const s of secrets) {
    if (s.type !== TOKEN_SECRET_TYPE || s.metadata?.namespace !== TOKEN_NAMESPACE || s.metadata.deletionTimestamp) continue;
    const parsed = parseTokenSecret(s);
    const exp = expirationOf(s, now);
    if (!parsed.ok || exp.expired || !hasUsage(s, 'signing')) continue;
    out.push({ id: parsed.token.token.id, secret: parsed.token.token.secret, ...(exp.expires ? { expires: exp.expires } : {}) });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** PURE: cluster-info's data: other keys kept, the kubeconfig set, one signature per token. */
export function clusterInfoData(current: Readonly<Record<string, string>> | undefined, kubeconfig: string, tokens: readonly SigningToken[]): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(current ?? {})) if (!k.startsWith(JWS_KEY_PREFIX)) data[k] = v;
  data[CLUSTER_INFO_KUBECONFIG_KEY] = kubeconfig;
  for (const t of tokens) data[JWS_KEY_PREFIX + t.id] = computeDetachedSignature(kubeconfig, t.id, t.secret);
  return data;
}

const sameData = (a: Record<string, string>, b: Record<string, string> | undefined): boolean => {
  const bk = Object.keys(b ?? {});
  return bk.length === Object.keys(a).length && bk.every((k) => a[k] === b?.[k]);
};

class BootstrapSigner implements Reconciler {
  constructor(private readonly ctx: ControllerContext, private readonly info: ClusterInfo,
    private readonly configMaps: Informer<Cm>, private readonly secrets: Informer<SecretObj>) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    if (key !== CLUSTER_INFO_KEY) return;
    const now = this.ctx.clock.now();
    const tokens = signingTokens(this.secrets.cache.list(TOKEN_NAMESPACE), now);
    const kubeconfig = renderClusterInfoKubeconfig(this.info);
    const cm = this.configMaps.cache.get(CLUSTER_INFO_KEY);
    const data = clusterInfoData(cm?.data, kubeconfig, tokens);
    const signed = tokens.map((t) => t.id);
    try {
      if (!cm) {
        await this.ctx.client.create(CONFIGMAPS, CLUSTER_INFO_NAMESPACE, {
          apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CLUSTER_INFO_NAME, namespace: CLUSTER_INFO_NAMESPACE }, data,
        });
        this.ctx.log.info({ configMap: key, signed }, 'Created cluster-info');
      } else if (!sameData(data, cm.data)) {
        const next = structuredClone(cm);
        next.data = data;
        await this.ctx.client.update(CONFIGMAPS, next);
        this.ctx.log.info({ configMap: key, signed }, 'Updated cluster-info signatures');
      }
    } catch (err) {
      throw new Error(`write ${key}`, { cause: err });
    }
    const next = Math.min(...tokens.map((t) => (t.expires ? t.expires.getTime() - now.getTime() : Infinity)));
    return Number.isFinite(next) ? { requeueAfterMs: Math.min(MAX_WAIT_MS, Math.max(0, next) + 1) } : undefined;
  }
}

export function createBootstrapSignerController(ctx: ControllerContext): Runnable {
  const { ca, advertisedServer } = ctx.options;
  const log = ctx.log;
  if (!ca || !advertisedServer) {
    return { run: async () => { log.info('No CA or advertised server: not keeping cluster-info'); } };
  }
  const configMaps = ctx.informers.for<Cm>(CONFIGMAPS);
  const secrets = ctx.informers.for<SecretObj>(SECRETS);
  const reconciler = new BootstrapSigner(ctx, { server: advertisedServer, caCertPem: ca.certPem }, configMaps, secrets);
  const isTokenSecret = (o: KubeObject) => o.metadata?.namespace === TOKEN_NAMESPACE && (o as SecretObj).type === TOKEN_SECRET_TYPE;
  const controller = new Controller({
    name: 'bootstrap-signer', workers: 1, log, reconciler,
    watches: [
      { informer: configMaps as Informer<KubeObject>, toKeys: (o) => (o.metadata?.namespace === CLUSTER_INFO_NAMESPACE && o.metadata.name === CLUSTER_INFO_NAME ? [CLUSTER_INFO_KEY] : []) },
      { informer: secrets as Informer<KubeObject>, toKeys: (o) => (isTokenSecret(o) ? [CLUSTER_INFO_KEY] : []) },
    ],
  });
  return {
    run: (signal) => {
      controller.enqueue(CLUSTER_INFO_KEY); // create it even when nothing exists yet
      return controller.run(signal);
    },
  };
}

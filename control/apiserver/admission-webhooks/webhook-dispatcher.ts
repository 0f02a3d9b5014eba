/**
 * Dynamic admission: sends matching requests to the webhooks of MutatingWebhookConfigurations (in
 * configuration name order, one after another, JSON patches applied) and
 * ValidatingWebhookConfigurations (all at once; any denial fails the request), as upstream's
 * mutating and validating dispatchers do. Webhook configurations themselves are never sent.
 */
import type { MutatingWebhook, ValidatingWebhook } from 'kubernetes-types/admissionregistration/v1.js';
import type { Logger } from 'pino';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { findResource } from '../../api/resources.js';
import { ApiError, internalError } from '../../api/status.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import { buildReview, parseReviewResponse, reviewVersion } from './admission-review.js';
import type { ReviewStatus } from './admission-review.js';
import { resolveTarget } from './service-target.js';
import type { ObjectGetter } from './service-target.js';
import type { WebhookAttributes } from './webhook-attributes.js';
import { isExempt, namespaceMatches, objectMatches, ruleMatches } from './webhook-matcher.js';
import type { WebhookTransport } from './webhook-transport.js';
import { httpsTransport } from './webhook-transport.js';

const MUTATING = findResource('admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations') as ResourceInfo;
const VALIDATING = findResource('admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations') as ResourceInfo;
const NAMESPACES = findResource('', 'v1', 'namespaces') as ResourceInfo;

/** How long a read of the configurations serves other requests (other API servers' writes show up within it). */
const CONFIG_TTL_MS = 1000;

type Hook = ValidatingWebhook | MutatingWebhook;

export interface WebhookDispatcherOptions {
  get: ObjectGetter;
  /** Every stored object of a cluster-scoped resource. */
  list: (ri: ResourceInfo) => Promise<KubeObject[]>;
  log: Logger;
  transport?: WebhookTransport;
  /** Re-applies the kind's defaults to a patched object (upstream decodes it with defaulting). */
  applyDefaults?: (kind: string, obj: KubeObject) => void;
}

export class WebhookDispatcher {
  private readonly opts: WebhookDispatcherOptions;
  private readonly transport: WebhookTransport;
  private cached: { at: number; hooks: Promise<{ mutating: MutatingWebhook[]; validating: ValidatingWebhook[] }> } | undefined;

  constructor(opts: WebhookDispatcherOptions) {
    this.opts = opts;
    this.transport = opts.transport ?? httpsTransport;
  }

  /** Forget the cached configurations (after a write to them through this server). */
  invalidate(): void { this.cached = undefined; }

  /** Runs the mutating webhooks; returns the object to carry on with (the same one when none patched it). */
  async mutate(a: WebhookAttributes): Promise<KubeObject | undefined> {
    if (isExempt(a)) { this.invalidate(); return a.object; }
    const { mutating } = await this.hooks();
    let attrs = a;
    for (const hook of mutating) {
      if (!(await this.matches(hook, attrs))) continue;
      const res = await this.call(hook, attrs);
      if (!res) continue;
      if (!res.allowed) throw denied(hook.name, res.status);
      if (res.patch !== undefined && attrs.object) {
        const patched = applyJsonPatch(attrs.object, res.patch) as KubeObject;
        this.opts.applyDefaults?.(attrs.ri.kind, patched);
        attrs = { ...attrs, object: patched };
      }
    }
    return attrs.object;
  }

  /** Runs the validating webhooks; throws the first denial (in configuration order). */
  async validate(a: WebhookAttributes): Promise<void> {
    if (isExempt(a)) { this.invalidate(); return; }
    const { validating } = await this.hooks();
    const matching: ValidatingWebhook[] = [];
    for (const hook of validating) if (await this.matches(hook, a)) matching.push(hook);
    const results = await Promise.allSettled(matching.map(async (hook) => {
      const res = await this.call(hook, a);
      if (res && !res.allowed) throw denied(hook.name, res.status);
    }));
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  }

  private async matches(hook: Hook, a: WebhookAttributes): Promise<boolean> {
    if (!(hook.rules ?? []).some((r) => ruleMatches(r, a))) return false;
    if (!objectMatches(hook.objectSelector, a)) return false;
    return namespaceMatches(hook.namespaceSelector, a, async (ns) => (await this.opts.get(NAMESPACES, undefined, ns))?.metadata?.labels ?? undefined);
  }

  /** One call; undefined when it failed and failurePolicy is Ignore. */
  private async call(hook: Hook, a: WebhookAttributes): Promise<ReturnType<typeof parseReviewResponse> | undefined> {
    const timeoutSeconds = hook.timeoutSeconds ?? 10;
    let display = hook.clientConfig.url ?? '';
    try {
      const version = reviewVersion(hook.admissionReviewVersions);
      if (!version) throw new Error(`webhook does not accept known AdmissionReview versions ${JSON.stringify(hook.admissionReviewVersions ?? [])}`);
      const target = await resolveTarget(hook.clientConfig, timeoutSeconds, this.opts.get);
      display = target.display;
      const review = buildReview(a, version);
      const uid = (review['request'] as { uid: string }).uid;
      const body = await this.transport.post(target, review, timeoutSeconds * 1000);
      return parseReviewResponse(body, version, uid);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      const why = err instanceof Error ? err.message : String(err);
      if (hook.failurePolicy === 'Ignore') {
        this.opts.log.warn({ webhook: hook.name, err }, 'Failed calling webhook, failing open');
        return undefined;
      }
      throw internalError(`failed calling webhook "${hook.name}": failed to call webhook: Post "${display}": ${why}`);
    }
  }

  private hooks(): Promise<{ mutating: MutatingWebhook[]; validating: ValidatingWebhook[] }> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < CONFIG_TTL_MS) return this.cached.hooks;
    const hooks = (async () => ({
      mutating: flatten(await this.opts.list(MUTATING)) as MutatingWebhook[],
      validating: flatten(await this.opts.list(VALIDATING)) as ValidatingWebhook[],
    }))();
    this.cached = { at: now, hooks };
    hooks.catch(() => { if (this.cached?.hooks === hooks) this.cached = undefined; });
    return hooks;
  }
}

/** Configurations sorted by name, their webhooks in the order listed. */
function flatten(configs: KubeObject[]): Hook[] {
  const sorted = [...configs].sort((x, y) => (x.metadata?.name ?? '').localeCompare(y.metadata?.name ?? ''));
  return sorted.flatMap((c) => ((c as { webhooks?: Hook[] }).webhooks ?? []));
}

/** upstream webhookerrors.ToStatusErr: the webhook's status, at least 400, with the denial named. */
export function denied(name: string, st: ReviewStatus | undefined): ApiError {
  const by = `admission webhook "${name}" denied the request`;
  const message = st?.message ? `${by}: ${st.message}` : st?.reason ? `${by}: ${st.reason}` : `${by} without explanation`;
  const code = st?.code !== undefined && st.code >= 400 ? st.code : 400;
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, ...(st?.reason ? { reason: st.reason } : {}), code });
}

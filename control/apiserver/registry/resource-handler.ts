/**
 * The generic REST behaviour of every resource: create, update (main resource or status), patch
 * with conflict retries, delete with finalizers / graceful deletion / propagation policies.
 * Kind-specific rules come in through Strategy and Admission.
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { RESOURCES, groupVersion } from '../../api/resources.js';
import {
  ApiError, badRequest, conflict, forbidden, invalid, notFound,
} from '../../api/status.js';
import type { Clock } from '../../util/clock.js';
import { deepEqual } from '../../util/deep-equal.js';
import type { Admission } from './admission.js';
import { ObjectStore } from './object-store.js';
import { carryObjectMeta, initObjectMeta } from './object-meta.js';
import { defaultStrategy } from './strategy.js';
import type { RequestUser, Strategy, StrategyContext } from './strategy.js';
import { strictDecodingError } from '../openapi/unknown-fields.js';
import { findTypeError, typeDecodingError } from '../openapi/type-errors.js';
import { dropField } from './strict.js';
import type { WebhookDispatcher } from '../admission-webhooks/webhook-dispatcher.js';
import type { WebhookOperation } from '../admission-webhooks/webhook-attributes.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface Scope {
  ri: ResourceInfo;
  namespace?: string;
  name?: string;
  dryRun: boolean;
  fieldValidation: FieldValidation;
  /** Warnings to send back in `Warning` headers. */
  warnings: string[];
  /** The authenticated user of the request, when there is one. */
  user?: RequestUser;
}

export interface UpdateOptions {
  subresource?: 'status' | 'approval' | 'finalize';
  /** Deletion only: take deletionTimestamp / deletionGracePeriodSeconds from the proposed object. */
  allowMetaDeletion?: boolean;
}

export interface HandlerOptions {
  objects: ObjectStore;
  admission: Admission;
  clock: Clock;
  strategies?: Record<string, Strategy>;
  /** A strategy chosen by resource before the by-kind table (custom resources, whose kinds are anyone's). */
  strategyFor?: (ri: ResourceInfo) => Strategy | undefined;
  /** Dynamic admission: the mutating and validating webhooks the configurations register. */
  webhooks?: WebhookDispatcher;
}

const NAMESPACES = RESOURCES.find((r) => r.resource === 'namespaces') as ResourceInfo;
/**
 * How long an unpinned update keeps retrying a write that lost a race. Upstream's GuaranteedUpdate
 * retries without a count; a count of 8 ran out on etcd while the node controllers wrote the same
 * Node. The window bounds a write that never wins (the request then answers 409).
 */
const UPDATE_RETRY_WINDOW_MS = 20_000;

export class ResourceHandler {
  readonly objects: ObjectStore;
  private readonly admission: Admission;
  private readonly clock: Clock;
  private readonly strategies: Record<string, Strategy>;
  private readonly strategyFor: ((ri: ResourceInfo) => Strategy | undefined) | undefined;
  private readonly webhooks: WebhookDispatcher | undefined;

  constructor(opts: HandlerOptions) {
    this.webhooks = opts.webhooks;
    this.objects = opts.objects;
    this.admission = opts.admission;
    this.clock = opts.clock;
    this.strategies = opts.strategies ?? {};
    this.strategyFor = opts.strategyFor;
  }

  strategy(ri: ResourceInfo): Strategy {
    return this.strategyFor?.(ri) ?? this.strategies[ri.kind] ?? defaultStrategy(ri.kind);
  }

  ctx(scope: Scope): StrategyContext {
    return { ri: scope.ri, now: this.clock.now(), dryRun: scope.dryRun, ...(scope.user ? { user: scope.user } : {}) };
  }

  /** Type checks shared by create and update: apiVersion/kind, strict fields, namespace in body. */
  checkBody(scope: Scope, obj: KubeObject): void {
    const { ri } = scope;
    const gv = groupVersion(ri);
    if (obj.apiVersion !== undefined && obj.apiVersion !== gv) {
      throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${gv})`);
    }
    if (obj.kind !== undefined && obj.kind !== ri.kind) {
      throw badRequest(`${ri.kind} in version "${ri.version}" cannot be handled as a ${ri.kind}: the kind in the data (${obj.kind}) does not match the expected kind (${ri.kind})`);
    }
    // A value of the wrong JSON type fails upstream's decode, before any strict-field check.
    const typeError = findTypeError(gv, ri.kind, obj);
    if (typeError) throw typeDecodingError(ri.kind, ri.version, typeError);
    // Unknown fields never reach storage (upstream's decoder drops them); Strict refuses, Warn warns.
    const unknown = this.admission.unknownFields(gv, ri.kind, obj);
    if (unknown.length > 0) {
      if (scope.fieldValidation === 'Strict') throw strictDecodingError(ri.kind, ri.version, unknown);
      if (scope.fieldValidation === 'Warn') for (const f of unknown) scope.warnings.push(`unknown field "${f}"`);
      for (const f of unknown) dropField(obj, f);
    }
    const bodyNs = obj.metadata?.namespace;
    if (ri.namespaced && bodyNs && scope.namespace && bodyNs !== scope.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
  }

  async requireNamespace(ns: string | undefined, forCreate: boolean): Promise<void> {
    if (!ns) return;
    const nsObj = await this.objects.tryGet(NAMESPACES, undefined, ns);
    if (!nsObj) throw notFound(NAMESPACES, ns);
    if (forCreate && nsObj.metadata?.deletionTimestamp) {
      throw forbidden(`unable to create new content in namespace ${ns} because it is being terminated`);
    }
  }

  async create(scope: Scope, body: KubeObject): Promise<KubeObject> {
    const { ri } = scope;
    this.checkBody(scope, body);
    if (ri.namespaced) await this.requireNamespace(scope.namespace, true);
    const obj = structuredClone(body);
    const st = this.strategy(ri);
    initObjectMeta(obj, ri, scope.namespace, this.clock.now(), st.tracksGeneration === true);
    const name = obj.metadata?.name;
    if (!name) {
      throw invalid(ri.kind, ri, '', [{ type: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
    }
    this.admission.applyDefaults(ri.kind, obj);
    await this.admission.admit?.(obj, {
      operation: 'CREATE', ri, namespace: scope.namespace, name: body.metadata?.name || undefined, dryRun: scope.dryRun,
      get: (r, ns, n) => this.objects.tryGet(r, ns, n),
      list: async (r, ns) => (await this.objects.list(r, ns)).items,
      update: (r, o) => this.objects.update(r, o, Number(o.metadata?.resourceVersion)),
    });
    await this.mutateByWebhooks(scope, 'CREATE', obj);
    await st.prepareForCreate?.(obj, this.ctx(scope));
    try {
      const errs = this.admission.validate(ri.kind, obj);
      if (errs.length > 0) throw invalid(ri.kind, ri, name, errs);
      await this.validateByWebhooks(scope, 'CREATE', obj);
      if (scope.dryRun) {
        st.rollbackCreate?.(obj);
        return obj;
      }
      return await this.objects.create(ri, obj);
    } catch (err) {
      st.rollbackCreate?.(obj);
      throw err;
    }
  }

  /**
   * Update the main resource or its status from a function of the current object (PUT passes a
   * constant function, PATCH applies the patch). Retries on conflict unless the caller pinned a
   * resourceVersion.
   */
  async update(scope: Scope, next: (current: KubeObject) => KubeObject, opts: UpdateOptions = {}): Promise<KubeObject> {
    const { ri } = scope;
    const name = scope.name ?? '';
    const started = Date.now();
    for (;;) {
      const current = await this.objects.get(ri, scope.namespace, name);
      const proposed = structuredClone(next(structuredClone(current)));
      this.checkBody(scope, proposed);
      if (proposed.metadata?.name !== undefined && proposed.metadata.name !== name) {
        throw badRequest(`the name of the object (${proposed.metadata.name}) does not match the name on the URL (${name})`);
      }
      const pinned = proposed.metadata?.resourceVersion;
      if (pinned !== undefined && pinned !== '' && pinned !== current.metadata?.resourceVersion) throw conflict(ri, name);
      const marked = { deletionTimestamp: proposed.metadata?.deletionTimestamp, deletionGracePeriodSeconds: proposed.metadata?.deletionGracePeriodSeconds };
      const sub = opts.subresource;
      const obj = sub === 'status' || sub === 'approval' ? this.statusOnly(proposed, current, this.strategy(ri).statusWritesMetadata === true)
        : sub === 'finalize' ? this.finalizersOnly(proposed, current) : this.mainOnly(scope, proposed, current);
      if (opts.allowMetaDeletion) {
        obj.metadata = { ...obj.metadata, ...marked };
      }
      const st = this.strategy(ri);
      // marking for deletion is part of DELETE, not an update webhooks see (upstream's graceful-deletion write)
      const hooked = !opts.allowMetaDeletion;
      if (hooked) await this.mutateByWebhooks(scope, 'UPDATE', obj, current, sub);
      if (!sub) await st.prepareForUpdate?.(obj, current, this.ctx(scope));
      let written = false;
      try {
        const partial = sub === 'status' || sub === 'approval' ? sub : undefined;
        if (partial) st.prepareForSubresourceUpdate?.(partial, obj, current, this.ctx(scope));
        const errs = partial && st.validateSubresourceUpdate
          ? st.validateSubresourceUpdate(partial, obj, current) : this.admission.validate(ri.kind, obj, current);
        if (errs.length > 0) throw invalid(ri.kind, ri, name, errs);
        if (hooked) await this.validateByWebhooks(scope, 'UPDATE', obj, current, sub);
        if (deepEqual(stripRv(obj), stripRv(current))) return current;
        if (scope.dryRun) return obj;
        const rev = Number(current.metadata?.resourceVersion);
        try {
          const done = obj.metadata?.deletionTimestamp && (obj.metadata.finalizers ?? []).length === 0 && this.finalizable(obj)
            && !this.strategy(ri).holdsDeletion?.(obj)
            ? await this.finalize(ri, obj, rev) : await this.objects.update(ri, obj, rev);
          written = true;
          return done;
        } catch (err) {
          const retry = err instanceof ApiError && err.reason === 'Conflict' && (pinned === undefined || pinned === '') && Date.now() - started < UPDATE_RETRY_WINDOW_MS;
          if (!retry) throw err;
        }
      } finally {
        if (!sub) st.finishUpdate?.(obj, current, written);
      }
    }
  }

  /**
   * The mutating webhooks; a patched object replaces `obj`'s contents, decoded again as upstream
   * does: fields the schema does not declare are pruned (custom resources too) and defaults applied.
   */
  private async mutateByWebhooks(scope: Scope, operation: WebhookOperation, obj: KubeObject, old?: KubeObject, subresource = ''): Promise<void> {
    if (!this.webhooks) return;
    const out = await this.webhooks.mutate(webhookAttributes(scope, operation, obj, old, subresource));
    if (!out || out === obj) return;
    for (const k of Object.keys(obj)) delete obj[k];
    Object.assign(obj, out);
    for (const f of this.admission.unknownFields(groupVersion(scope.ri), scope.ri.kind, obj)) dropField(obj, f);
    this.admission.applyDefaults(scope.ri.kind, obj);
  }

  /** The validating webhooks (DELETE passes the stored object as `old` and no object). */
  async validateByWebhooks(scope: Scope, operation: WebhookOperation, obj: KubeObject | undefined, old?: KubeObject, subresource = ''): Promise<void> {
    await this.webhooks?.validate(webhookAttributes(scope, operation, obj, old, subresource));
  }

  private mainOnly(scope: Scope, proposed: KubeObject, current: KubeObject): KubeObject {
    const obj = proposed;
    carryObjectMeta(obj, current);
    obj.apiVersion = groupVersion(scope.ri);
    obj.kind = scope.ri.kind;
    if (scope.ri.subresources?.some((s) => s.name === 'status')) {
      if (current['status'] !== undefined) obj['status'] = current['status'];
      else delete obj['status'];
    }
    this.admission.applyDefaults(scope.ri.kind, obj);
    const st = this.strategy(scope.ri);
    if (st.tracksGeneration && !deepEqual(obj['spec'], current['spec'])) {
      obj.metadata = { ...obj.metadata, generation: (current.metadata?.generation ?? 0) + 1 };
    }
    return obj;
  }

  private statusOnly(proposed: KubeObject, current: KubeObject, withMetadata = false): KubeObject {
    const obj = structuredClone(current);
    if (withMetadata) {
      obj.metadata = structuredClone(proposed.metadata ?? {});
      carryObjectMeta(obj, current);
    }
    if (proposed['status'] !== undefined) obj['status'] = proposed['status'];
    else delete obj['status'];
    return obj;
  }

  private finalizersOnly(proposed: KubeObject, current: KubeObject): KubeObject {
    const obj = structuredClone(current);
    const spec = (proposed['spec'] ?? {}) as { finalizers?: string[] };
    obj['spec'] = { ...((obj['spec'] ?? {}) as object), finalizers: spec.finalizers ?? [] };
    return obj;
  }

  /** Objects whose last finalizer went away are deleted, unless graceful deletion still runs. */
  private finalizable(obj: KubeObject): boolean {
    const grace = obj.metadata?.deletionGracePeriodSeconds;
    return grace === undefined || grace === 0;
  }

  async finalize(ri: ResourceInfo, obj: KubeObject, rev: number): Promise<KubeObject> {
    const md = obj.metadata ?? {};
    const gone = await this.objects.delete(ri, md.namespace, md.name ?? '', rev);
    this.strategy(ri).afterDelete?.(gone);
    return gone;
  }
}

const OPTIONS_KIND: Record<WebhookOperation, string> = { CREATE: 'CreateOptions', UPDATE: 'UpdateOptions', DELETE: 'DeleteOptions', CONNECT: '' };

function webhookAttributes(scope: Scope, operation: WebhookOperation, obj: KubeObject | undefined, old: KubeObject | undefined, subresource: string) {
  const kind = OPTIONS_KIND[operation];
  return {
    operation, ri: scope.ri, subresource, namespace: scope.namespace, name: obj?.metadata?.name ?? old?.metadata?.name ?? scope.name ?? '',
    object: obj, oldObject: old, dryRun: scope.dryRun, user: scope.user,
    ...(kind ? { options: { kind, apiVersion: 'meta.k8s.io/v1', ...(scope.dryRun ? { dryRun: ['All'] } : {}) } } : {}),
  };
}

function stripRv(obj: KubeObject): KubeObject {
  const { resourceVersion: _rv, ...md } = obj.metadata ?? {};
  return { ...obj, metadata: md };
}

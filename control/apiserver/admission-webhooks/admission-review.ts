/**
 * AdmissionReview (admission.k8s.io/v1, or v1beta1 for webhooks that only take that): the request
 * tinykube sends and the checks upstream makes on the answer (response present, uid echoed,
 * patchType JSONPatch when a patch comes back).
 */
import { randomUUID } from 'node:crypto';
import type { WebhookAttributes } from './webhook-attributes.js';
import { requestKind } from './webhook-attributes.js';

export interface ReviewStatus { code?: number; message?: string; reason?: string; status?: string }

export interface ReviewResponse {
  allowed: boolean;
  status?: ReviewStatus;
  /** Decoded JSON Patch operations, when the webhook sent a patch. */
  patch?: unknown;
  warnings: string[];
}

/** The review version to speak: the first the webhook lists that we know. */
export function reviewVersion(versions: readonly string[] | undefined): string | undefined {
  return (versions ?? []).find((v) => v === 'v1' || v === 'v1beta1');
}

export function buildReview(a: WebhookAttributes, version: string, uid: string = randomUUID()): Record<string, unknown> {
  const k = requestKind(a.ri, a.subresource);
  const resource = { group: a.ri.group, version: a.ri.version, resource: a.ri.resource };
  const user = a.user;
  return {
    apiVersion: `admission.k8s.io/${version}`,
    kind: 'AdmissionReview',
    request: {
      uid, kind: k, resource,
      ...(a.subresource ? { subResource: a.subresource, requestSubResource: a.subresource } : {}),
      requestKind: k, requestResource: resource,
      name: a.name,
      ...(a.namespace ? { namespace: a.namespace } : {}),
      operation: a.operation,
      userInfo: user ? { username: user.name, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups, ...(user.extra ? { extra: user.extra } : {}) } : {},
      object: a.object ?? null,
      oldObject: a.oldObject ?? null,
      dryRun: a.dryRun,
      options: a.options ?? null,
    },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a webhook's answer; throws Error (a call failure, subject to failurePolicy) when it is malformed. */
export function parseReviewResponse(body: unknown, version: string, uid: string): ReviewResponse {
  if (!isRecord(body)) throw new Error('webhook response was not an AdmissionReview object');
  if (version === 'v1' && (body['apiVersion'] !== 'admission.k8s.io/v1' || body['kind'] !== 'AdmissionReview')) {
    throw new Error(`expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${String(body['apiVersion'])}, Kind=${String(body['kind'])}`);
  }
  const r = body['response'];
  if (!isRecord(r)) throw new Error('webhook response was absent');
  if (version === 'v1' && r['uid'] !== uid) throw new Error(`expected response.uid="${uid}", got "${String(r['uid'] ?? '')}"`);
  const out: ReviewResponse = { allowed: r['allowed'] === true, warnings: Array.isArray(r['warnings']) ? r['warnings'].filter((w): w is string => typeof w === 'string') : [] };
  const st = r['status'];
  if (isRecord(st)) {
    out.status = {
      ...(typeof st['code'] === 'number' ? { code: st['code'] } : {}),
      ...(typeof st['message'] === 'string' ? { message: st['message'] } : {}),
      ...(typeof st['reason'] === 'string' ? { reason: st['reason'] } : {}),
      ...(typeof st['status'] === 'string' ? { status: st['status'] } : {}),
    };
  }
  const patch = r['patch'];
  if (typeof patch === 'string' && patch !== '') {
    const patchType = r['patchType'];
    if (version === 'v1' && patchType !== 'JSONPatch') throw new Error(`webhook returned response.patch but not response.patchType`);
    if (patchType !== undefined && patchType !== 'JSONPatch') throw new Error(`unsupported patch type "${String(patchType)}"`);
    try {
      out.patch = JSON.parse(Buffer.from(patch, 'base64').toString('utf8'));
    } catch (err) {
      throw new Error('webhook returned a patch that is not base64-encoded JSON', { cause: err });
    }
  }
  return out;
}

/**
 * CertificateSigningRequest strategy (upstream pkg/registry/certificates/certificates): on create
 * the requester's identity replaces whatever the client sent in spec.username/uid/groups/extra and
 * the status starts empty; the main resource never changes spec or status; /status keeps spec and
 * the Approved/Denied conditions; /approval changes only status.conditions. New conditions get
 * lastUpdateTime and lastTransitionTime.
 */
import type { CertificateSigningRequest, CertificateSigningRequestCondition } from 'kubernetes-types/certificates/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { badRequest } from '../../../api/status.js';
import { decodeBytes, validateCsrUpdate } from '../../../api/validation/certificates.js';
import type { Obj } from '../../../api/validation/obj.js';
import type { Strategy, StrategyContext, WriteSubresource } from '../strategy.js';

type Csr = CertificateSigningRequest & KubeObject;

const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Go's base64 decoder: the first offending byte, or undefined when the text is valid. */
function illegalBase64At(s: string): number | undefined {
  const bad = s.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return bad;
  const pad = s.indexOf('=');
  if (pad >= 0 && pad < s.length - 2) return pad;
  if (s.length % 4 !== 0) return s.length - (s.length % 4);
  return undefined;
}

/** Defaulting (status True) and timestamps of conditions, as upstream populateConditionTimestamps. */
export function populateConditionTimestamps(csr: Csr, old: Csr, now: Date): void {
  const ts = rfc3339(now);
  for (const c of csr.status?.conditions ?? []) {
    if (!c.status) c.status = 'True';
    if (!c.lastUpdateTime) c.lastUpdateTime = ts;
    if (!c.lastTransitionTime) {
      const prior = (old.status?.conditions ?? []).find((o) => o.type === c.type && o.status === c.status && o.lastTransitionTime);
      c.lastTransitionTime = prior?.lastTransitionTime ?? ts;
    }
  }
}

/** Puts the stored Approved/Denied conditions back in place when their number did not change. */
function preserveApprovalConditions(csr: Csr, old: Csr): void {
  const conds = csr.status?.conditions;
  if (!conds) return;
  for (const type of ['Approved', 'Denied']) {
    const before = (old.status?.conditions ?? []).filter((c) => c.type === type);
    const at = conds.map((c, i) => (c.type === type ? i : -1)).filter((i) => i >= 0);
    if (at.length !== before.length) continue;
    at.forEach((i, n) => { conds[i] = structuredClone(before[n] as CertificateSigningRequestCondition); });
  }
}

export const csrStrategy: Strategy = {
  tracksGeneration: false,
  // upstream's /status and /approval strategies put back the old spec and status parts only: metadata is written
  statusWritesMetadata: true,

  prepareForCreate(obj: KubeObject, ctx: StrategyContext) {
    const csr = obj as Csr;
    const spec = (csr.spec ?? {}) as Csr['spec'];
    const request = (spec as { request?: unknown }).request;
    if (typeof request === 'string' && decodeBytes(request) === undefined) {
      throw badRequest(`CertificateSigningRequest in version "v1" cannot be handled as a CertificateSigningRequest: illegal base64 data at input byte ${illegalBase64At(request) ?? 0}`);
    }
    delete spec.username;
    delete spec.uid;
    delete spec.groups;
    delete spec.extra;
    const user = ctx.user;
    if (user) {
      spec.username = user.name;
      if (user.uid) spec.uid = user.uid;
      spec.groups = [...user.groups];
      if (user.extra && Object.keys(user.extra).length > 0) spec.extra = structuredClone(user.extra);
    }
    csr.spec = spec;
    csr.status = {};
  },

  prepareForUpdate(obj: KubeObject, old: KubeObject) {
    const csr = obj as Csr;
    const prev = old as Csr;
    csr.spec = structuredClone(prev.spec);
    if (prev.status !== undefined) csr.status = structuredClone(prev.status);
    else delete csr.status;
  },

  prepareForSubresourceUpdate(sub: WriteSubresource, obj: KubeObject, old: KubeObject, ctx: StrategyContext) {
    const csr = obj as Csr;
    const prev = old as Csr;
    if (sub === 'status') {
      preserveApprovalConditions(csr, prev);
      populateConditionTimestamps(csr, prev, ctx.now);
      return;
    }
    populateConditionTimestamps(csr, prev, ctx.now);
    const conditions = csr.status?.conditions;
    csr.status = structuredClone(prev.status ?? {});
    if (conditions !== undefined) csr.status.conditions = conditions;
    else delete csr.status.conditions;
  },

  validateSubresourceUpdate(sub: WriteSubresource, obj: KubeObject, old: KubeObject) {
    return validateCsrUpdate(obj as Obj, old as Obj, sub === 'status' ? { allowSettingCertificate: true } : { allowSettingApprovalConditions: true });
  },
};

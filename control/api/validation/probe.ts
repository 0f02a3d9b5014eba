/** Probes and lifecycle handlers (core validation validateProbe/validateHandler). */
import type { FieldError } from '../status.js';
import { forbidden, invalid, nonNegative, notSupported, required } from './field-errors.js';
import { isHTTPHeaderName, isValidPortName, isValidPortNum } from './names.js';
import { num, rec, recs, str, type Obj } from './obj.js';

/** IntOrString port: a number 1-65535 or an IANA_SVC_NAME. */
export function validatePortNumOrName(port: unknown, field: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalid(field, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => invalid(field, port, m));
  return [invalid(field, null, 'must be an integer or a string')];
}

const HANDLER_KINDS = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const;

function validateHandler(h: Obj, field: string, allowed: readonly string[], gracePeriod: number | undefined): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of HANDLER_KINDS) {
    const action = rec(h[kind]);
    if (!action || !allowed.includes(kind)) continue;
    const p = `${field}.${kind}`;
    if (count > 0) {
      errs.push(forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    switch (kind) {
      case 'exec':
        if (!Array.isArray(action['command']) || action['command'].length === 0) errs.push(required(`${p}.command`));
        break;
      case 'httpGet': {
        if (!str(action['path'])) errs.push(required(`${p}.path`));
        errs.push(...validatePortNumOrName(action['port'], `${p}.port`));
        const scheme = str(action['scheme']);
        if (scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(notSupported(`${p}.scheme`, scheme, ['HTTP', 'HTTPS']));
        for (const hdr of recs(action['httpHeaders'])) {
          const name = str(hdr['name']);
          errs.push(...isHTTPHeaderName(name).map((m) => invalid(`${p}.httpHeaders`, name, m)));
        }
        break;
      }
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(action['port'], `${p}.port`));
        break;
      case 'grpc':
        errs.push(...validatePortNumOrName(num(action['port']) ?? 0, `${p}.port`));
        break;
      case 'sleep': {
        const secs = num(action['seconds']) ?? 0;
        if (gracePeriod !== undefined && (secs < 0 || secs > gracePeriod)) {
          errs.push(invalid(p, secs, `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`));
        }
        break;
      }
    }
  }
  if (count === 0) errs.push(required(field, 'must specify a handler type'));
  return errs;
}

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

export function validateProbe(kind: ProbeKind, probe: unknown, field: string, gracePeriod: number | undefined): FieldError[] {
  const p = rec(probe);
  if (!p) return [];
  const errs = validateHandler(p, field, ['exec', 'httpGet', 'tcpSocket', 'grpc'], gracePeriod);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...nonNegative(`${field}.${f}`, num(p[f])));
  }
  const tgp = num(p['terminationGracePeriodSeconds']);
  if (tgp !== undefined && tgp <= 0) errs.push(invalid(`${field}.terminationGracePeriodSeconds`, tgp, 'must be greater than 0'));
  if (kind !== 'readinessProbe') {
    const st = num(p['successThreshold']);
    if (st !== undefined && st !== 1) errs.push(invalid(`${field}.successThreshold`, st, 'must be 1'));
  } else if (tgp !== undefined) {
    errs.push(invalid(`${field}.terminationGracePeriodSeconds`, tgp, 'must not be set for readinessProbes'));
  }
  return errs;
}

export function validateLifecycle(lifecycle: unknown, field: string, gracePeriod: number | undefined): FieldError[] {
  const l = rec(lifecycle);
  if (!l) return [];
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    const h = rec(l[hook]);
    if (h) errs.push(...validateHandler(h, `${field}.${hook}`, ['exec', 'httpGet', 'tcpSocket', 'sleep'], gracePeriod));
  }
  return errs;
}

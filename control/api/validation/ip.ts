/**
 * IP and CIDR field checks in upstream's words (apimachinery util/validation IsValidIP,
 * IsValidIPv4Address, IsValidIPv6Address, IsValidCIDR, IsFullyQualifiedDomainName; core
 * ValidateNonSpecialIP). IPv4 follows lib/net/ipv4.ts, the project's one strict grammar: unlike
 * upstream 1.32's sloppy parser it refuses leading zeros ("010.1.1.1"), as upstream's
 * StrictIPCIDRValidation does, so nothing accepted here is refused where rules are written.
 */
import { isIPv4, parseCidr } from '../../util/ipv4.js';
import type { FieldError } from '../status.js';
import { invalid, required } from './field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isIP } from './names.js';

export const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

export const isIPv6 = (v: string): boolean => isIP(v) && !isIPv4(v) && !isV4Mapped(v);
const isV4Mapped = (v: string): boolean => /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(v);

export function isValidIP(field: string, v: string): FieldError[] {
  return isIP(v) ? [] : [invalid(field, v, IP_MSG)];
}

/** Go's To4() != nil: dotted quads and IPv4-mapped IPv6 count as IPv4. */
export function isValidIPv4Address(field: string, v: string): FieldError[] {
  return isIP(v) && !isIPv6(v) ? [] : [invalid(field, v, 'must be a valid IPv4 address')];
}

export function isValidIPv6Address(field: string, v: string): FieldError[] {
  return isIPv6(v) ? [] : [invalid(field, v, 'must be a valid IPv6 address')];
}

/** IPv4 or IPv6 CIDR; the family, or undefined when not a CIDR. */
export function cidrFamily(v: string): 'IPv4' | 'IPv6' | undefined {
  if (parseCidr(v)) return 'IPv4';
  const slash = v.indexOf('/');
  const len = v.slice(slash + 1);
  if (slash < 0 || !/^(0|[1-9]\d{0,2})$/.test(len) || Number(len) > 128) return undefined;
  return isIPv6(v.slice(0, slash)) ? 'IPv6' : undefined;
}

export function isValidCIDR(field: string, v: string): FieldError[] {
  return cidrFamily(v) ? [] : [invalid(field, v, CIDR_MSG)];
}

/** 16 bytes of an IPv6 literal already accepted by isIP. */
function v6Bytes(v: string): number[] {
  const [head = '', tail] = v.split('::');
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').flatMap((g) => {
    if (!g.includes('.')) return [parseInt(g, 16)];
    const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
    return [a * 256 + b, c * 256 + d];
  }));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((g) => [g >> 8, g & 255]);
}

/** The address as Go's To4 (4 bytes) or To16 (16 bytes) sees it. */
function bytesOf(v: string): number[] {
  if (isIPv4(v)) return v.split('.').map(Number);
  const b = v6Bytes(v);
  const mapped = b.slice(0, 10).every((x) => x === 0) && b[10] === 255 && b[11] === 255;
  return mapped ? b.slice(12) : b;
}

/** ValidateNonSpecialIP: endpoints and external IPs may not be unspecified, loopback or link-local. */
export function validateNonSpecialIP(field: string, v: string): FieldError[] {
  if (!isIP(v)) return [invalid(field, v, 'must be a valid IP address')];
  const b = bytesOf(v);
  const v4 = b.length === 4;
  const errs: FieldError[] = [];
  if (b.every((x) => x === 0)) errs.push(invalid(field, v, `may not be unspecified (${v})`));
  if (v4 ? b[0] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1) {
    errs.push(invalid(field, v, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  }
  if (v4 ? b[0] === 169 && b[1] === 254 : b[0] === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80) {
    errs.push(invalid(field, v, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  }
  if (v4 ? b[0] === 224 && b[1] === 0 && b[2] === 0 : b[0] === 0xff && ((b[1] ?? 0) & 0x0f) === 0x02) {
    errs.push(invalid(field, v, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
  return errs;
}

/** IsFullyQualifiedDomainName (EndpointSlice FQDN addresses). */
export function isFullyQualifiedDomainName(field: string, name: string): FieldError[] {
  if (name.length === 0) return [required(field)];
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  const sub = isDNS1123Subdomain(n);
  if (sub.length) return [invalid(field, n, sub.join(','))];
  const labels = n.split('.');
  if (labels.length < 2) return [invalid(field, n, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const errs = isDNS1123Label(label);
    if (errs.length) return [invalid(field, label, errs.join(','))];
  }
  return [];
}

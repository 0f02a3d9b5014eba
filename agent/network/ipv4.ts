/** Small IPv4 helpers for the network setup (strings in, strings out). */

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

export function isIPv4(s: string): boolean { return IPV4.test(s); }

export function isIPv4Cidr(s: string): boolean {
  const [ip, len, extra] = s.split('/');
  return extra === undefined && ip !== undefined && isIPv4(ip) && len !== undefined && /^\d{1,2}$/.test(len) && Number(len) <= 32;
}

export function toInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => ((acc << 8) >>> 0) + Number(o), 0) >>> 0;
}

export function fromInt(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Whether `ip` lies inside `cidr`. */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base = '', len = '32'] = cidr.split('/');
  const bits = Number(len);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((toInt(base) & mask) >>> 0) === ((toInt(ip) & mask) >>> 0);
}

/** "10.244.1.0/24" → "10.244.1.1/24" (the pod bridge's gateway address with its prefix). */
export function gatewayCidr(cidr: string): string {
  const [base = '', len = '32'] = cidr.split('/');
  const bits = Number(len);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return `${fromInt((((toInt(base) & mask) >>> 0) + 1) >>> 0)}/${len}`;
}

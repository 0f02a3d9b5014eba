/**
 * Forwards queries for names outside the cluster zone to upstream resolvers over UDP: each
 * upstream in turn, one fresh socket per attempt, the first answer with the query's id wins.
 * Loop guards: an upstream that is our own listen address and port is dropped, and at most `maxInFlight` forwards run at once (more get SERVFAIL). Only used when the
 * operator passes upstreams: on these machines no upstream is reachable.
 */
import { createSocket } from 'node:dgram';
import { isIPv4 } from '../../control/util/ipv4.js';
import type { Forwarder } from './dns-handler.js';

export interface Upstream { address: string; port: number }

export interface ForwarderOptions {
  /** "ip" or "ip:port" (IPv4). */
  upstreams: readonly string[];
  /** Never forwarded to (our own listen address and port: a query must not come back to us). */
  exclude?: readonly Upstream[];
  timeoutMs?: number;
  maxInFlight?: number;
}

/** PURE. Valid, de-duplicated upstreams minus the excluded addresses. */
export function parseUpstreams(list: readonly string[], exclude: readonly Upstream[] = []): Upstream[] {
  const out: Upstream[] = [];
  for (const s of list) {
    const [address = '', portStr] = s.trim().split(':');
    const port = portStr === undefined ? 53 : Number(portStr);
    if (!isIPv4(address) || !Number.isInteger(port) || port < 1 || port > 65535) continue;
    if (address === '0.0.0.0' || exclude.some((e) => e.port === port && (e.address === address || e.address === '0.0.0.0'))) continue;
    if (!out.some((u) => u.address === address && u.port === port)) out.push({ address, port });
  }
  return out;
}

/** Undefined when no usable upstream remains (the handler then answers SERVFAIL at once). */
export function createUdpForwarder(o: ForwarderOptions): Forwarder | undefined {
  const upstreams = parseUpstreams(o.upstreams, o.exclude);
  if (!upstreams.length) return undefined;
  const timeoutMs = o.timeoutMs ?? 2000;
  const max = o.maxInFlight ?? 256;
  let inFlight = 0;
  return async (query) => {
    if (inFlight >= max || query.length < 12) return undefined;
    inFlight++;
    try {
      for (const u of upstreams) {
        const answer = await ask(u, query, timeoutMs);
        if (answer) return answer;
      }
      return undefined;
    } finally {
      inFlight--;
    }
  };
}

function ask(u: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const id = query.readUInt16BE(0);
    let finished = false;
    const done = (b: Buffer | undefined) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.close();
      resolve(b);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    sock.on('error', () => done(undefined));
    sock.on('message', (msg, rinfo) => {
      if (rinfo.address === u.address && rinfo.port === u.port && msg.length >= 12 && msg.readUInt16BE(0) === id) done(msg);
    });
    sock.send(query, u.port, u.address, (err) => { if (err) done(undefined); });
  });
}

/**
 * One DNS message in, one out (transport-neutral): decodes with dns-packet, answers cluster names
 * from the resolver, hands other names to the forwarder (or answers SERVFAIL at once when there
 * is none), and keeps UDP answers within the client's size (TC set: the client retries over TCP).
 * An ExternalName whose CNAME chain leaves the zone gets the target's records from the forwarder
 * appended (the CNAME alone when there is none or it fails).
 */
import { randomInt } from 'node:crypto';
import { AUTHORITATIVE_ANSWER, RECURSION_AVAILABLE, RECURSION_DESIRED, decode, encode } from 'dns-packet';
import type { Answer, DecodedPacket, Packet, RecordType } from 'dns-packet';
import type { Logger } from 'pino';
import type { DnsView } from './dns-view.js';
import { resolveQuestion } from './resolver.js';

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export type Rcode = keyof typeof RCODE;

/** Sends a raw query to an upstream resolver; resolves the raw answer, or undefined on failure. */
export type Forwarder = (query: Buffer) => Promise<Buffer | undefined>;

export interface DnsHandlerOptions {
  view: DnsView;
  /** Default cluster.local. */
  zone?: string;
  /** Names outside the zone; without it they get SERVFAIL at once. */
  forward?: Forwarder;
  /** While false (caches not synced yet), cluster names get SERVFAIL (clients retry). */
  ready?: () => boolean;
  log: Logger;
}

export type DnsHandler = (query: Buffer, transport: 'udp' | 'tcp') => Promise<Buffer | undefined>;

const OPCODE_QUERY = 'QUERY';
const MAX_UDP = 1232;

export function createDnsHandler(o: DnsHandlerOptions): DnsHandler {
  const zone = o.zone ?? 'cluster.local';
  return async (query, transport) => {
    let q: DecodedPacket & { opcode?: string };
    try {
      q = decode(query);
    } catch {
      // undecodable: answer FORMERR when the header is there, else drop (nothing to answer to)
      return query.length >= 12 ? header(query.readUInt16BE(0), RCODE.FORMERR) : undefined;
    }
    if (q.type === 'response') return undefined;
    const opt = (q.additionals ?? []).find((a): a is Extract<Answer, { type: 'OPT' }> => a.type === 'OPT');
    const base = { id: q.id ?? 0, rd: q.flag_rd, opt: opt !== undefined, question: q.questions ?? [] };
    if (q.opcode !== undefined && q.opcode !== OPCODE_QUERY) return respond(base, 'NOTIMP');
    const question = q.questions?.[0];
    if (q.questions?.length !== 1 || question === undefined) return respond(base, 'FORMERR');
    if ((question.class ?? 'IN') !== 'IN') return respond(base, 'NOTIMP');
    const r = resolveQuestion(o.view, question, zone);
    if (r.outcome === 'outside') {
      if (!o.forward) return respond(base, 'SERVFAIL');
      const answer = await o.forward(query).catch((err: unknown) => {
        o.log.debug({ err, name: question.name }, 'Failed to forward query');
        return undefined;
      });
      return answer ?? respond(base, 'SERVFAIL');
    }
    if (o.ready && !o.ready()) return respond(base, 'SERVFAIL');
    const size = transport === 'tcp' ? 65535 : opt ? Math.max(512, Math.min(opt.udpPayloadSize, MAX_UDP)) : 512;
    const beyond = r.cnameTarget && o.forward ? await resolveUpstream(o.forward, r.cnameTarget, question.type) : [];
    return respond(base, r.rcode, { answers: [...r.answers, ...beyond], additionals: r.additionals, authorities: r.authorities, aa: true }, size);
  };
}

/** The CNAME/`type` records an upstream resolver gives for `name`; [] when it fails. */
async function resolveUpstream(forward: Forwarder, name: string, type: RecordType): Promise<Answer[]> {
  const id = randomInt(0, 0x10000);
  const raw = await forward(encode({ type: 'query', id, flags: RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] })).catch(() => undefined);
  if (!raw) return [];
  try {
    const p = decode(raw);
    return p.id === id ? (p.answers ?? []).filter((a) => a.type === 'CNAME' || a.type === type) : [];
  } catch {
    return [];
  }
}

interface Base { id: number; rd: boolean; opt: boolean; question: NonNullable<Packet['questions']> }
interface Records { answers: Answer[]; additionals: Answer[]; authorities: Answer[]; aa: boolean }

function respond(b: Base, rcode: Rcode, rec?: Records, maxSize = 512): Buffer {
  const flags = (rec?.aa ? AUTHORITATIVE_ANSWER : 0) | (b.rd ? RECURSION_DESIRED : 0) | RECURSION_AVAILABLE | RCODE[rcode];
  const optRec: Answer[] = b.opt ? [{ type: 'OPT', name: '.', udpPayloadSize: MAX_UDP, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [];
  const packet: Packet = {
    type: 'response', id: b.id, flags, questions: b.question,
    answers: rec?.answers ?? [], authorities: rec?.authorities ?? [], additionals: [...(rec?.additionals ?? []), ...optRec],
  };
  const buf = encode(packet);
  if (buf.length <= maxSize) return buf;
  // too big for this UDP client: drop the additionals first, then everything (TC)
  const lean = encode({ ...packet, additionals: optRec });
  if (lean.length <= maxSize) return lean;
  return encode({ ...packet, flags: flags | (1 << 9), answers: [], authorities: [], additionals: optRec });
}

/** A bare header with one rcode (for messages we cannot decode). */
function header(id: number, rcode: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(0x8000 | RECURSION_AVAILABLE | rcode, 2);
  return b;
}

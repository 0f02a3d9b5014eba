/**
 * The exec/attach protocols the kubelet serves, and what tells them apart (upstream's
 * remotecommand and wsstream). PURE.
 *
 * WebSocket subprotocols (Sec-WebSocket-Protocol): `v5.channel.k8s.io` (adds channel 255, close),
 * `v4.channel.k8s.io` and `v4.base64.channel.k8s.io`, and the pre-v4 `channel.k8s.io` and
 * `base64.channel.k8s.io` (also what a client offering no subprotocol gets). Every one has the
 * resize channel 4. `base64.` ones send text frames: the channel as an ASCII digit, then the
 * payload in base64, both ways.
 *
 * SPDY remote command versions (X-Stream-Protocol-Version): `v4.channel.k8s.io`, `v3.channel.k8s.io`
 * (the first with a resize stream), `v2.channel.k8s.io` and `channel.k8s.io` (v1).
 *
 * v4 and later end a session with the Status as JSON on the error channel, success included;
 * older ones write nothing on success and a failure's message as plain text.
 *
 * Both negotiations pick the first protocol the client offers that the server speaks.
 */
import type { Status } from 'kubernetes-types/meta/v1.js';
import { badRequest, forbidden } from '../../control/api/status.js';
import type { ApiError } from '../../control/api/status.js';

export interface WsProtocol {
  /** The subprotocol; '' when the client offered none. */
  name: string;
  /** false: base64 text frames. */
  binary: boolean;
  /** Status as JSON (v4+) or, on failure only, its message. */
  jsonStatus: boolean;
  /** Channel 255 closes a channel (v5). */
  closeChannel: boolean;
}

export interface SpdyExecProtocol { name: string; resize: boolean; jsonStatus: boolean }

const ws = (name: string, binary: boolean, jsonStatus: boolean, closeChannel = false): WsProtocol => ({ name, binary, jsonStatus, closeChannel });

/** The WebSocket subprotocols we serve (the order is only how they are listed in a refusal). */
export const WS_EXEC_PROTOCOLS: readonly WsProtocol[] = [
  ws('v5.channel.k8s.io', true, true, true),
  ws('v4.channel.k8s.io', true, true),
  ws('v4.base64.channel.k8s.io', false, true),
  ws('channel.k8s.io', true, false),
  ws('base64.channel.k8s.io', false, false),
];
/** What a WebSocket client that offers no subprotocol gets: channel.k8s.io framing. */
const WS_NO_PROTOCOL = ws('', true, false);

export const SPDY_EXEC_PROTOCOLS: readonly SpdyExecProtocol[] = [
  { name: 'v4.channel.k8s.io', resize: true, jsonStatus: true },
  { name: 'v3.channel.k8s.io', resize: true, jsonStatus: false },
  { name: 'v2.channel.k8s.io', resize: false, jsonStatus: false },
  { name: 'channel.k8s.io', resize: false, jsonStatus: false },
];

/** A comma-separated, possibly repeated header as a list, in the client's order. */
export function headerList(value: string | readonly string[] | undefined): string[] {
  const values = typeof value === 'string' ? [value] : value ?? [];
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** The first of the client's offers we serve; `undefined` when it offered some and we serve none. */
export function negotiateWsProtocol(offered: readonly string[]): WsProtocol | undefined {
  if (offered.length === 0) return WS_NO_PROTOCOL;
  for (const o of offered) {
    const p = WS_EXEC_PROTOCOLS.find((x) => x.name === o);
    if (p) return p;
  }
  return undefined;
}

/** The first of the client's offers that is one of `ours`, or undefined. */
export function negotiateStreamProtocol<T extends { name: string } | string>(offered: readonly string[], ours: readonly T[]): T | undefined {
  const nameOf = (p: T): string => (typeof p === 'string' ? p : p.name);
  for (const o of offered) {
    const p = ours.find((x) => nameOf(x) === o);
    if (p !== undefined) return p;
  }
  return undefined;
}

/** What the error channel carries at the end of a session; undefined: nothing (pre-v4 success). */
export function statusPayload(status: Status, jsonStatus: boolean): string | undefined {
  if (jsonStatus) return JSON.stringify(status);
  return status.status === 'Success' ? undefined : status.message ?? '';
}

/** SPDY: no X-Stream-Protocol-Version is a 400, no common one a 403 (upstream's httpstream.Handshake words). */
export function spdyNegotiationRefusal(offered: readonly string[], ours: readonly string[]): ApiError {
  if (offered.length === 0) return badRequest('unable to upgrade: X-Stream-Protocol-Version is required');
  return forbidden(`unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${ours.join(' ')}]`);
}

/** WebSocket: subprotocols offered, none of them ours: 403 (upstream's wsstream handshake words). */
export function wsNegotiationRefusal(offered: readonly string[]): ApiError {
  return forbidden(`requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${WS_EXEC_PROTOCOLS.map((p) => p.name).join(' ')}]`);
}

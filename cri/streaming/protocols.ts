/**
 * The client's side of the streaming protocols a CRI streaming server speaks (containerd's copy
 * of the kubelet's server, and agent/cri-server), and the end-of-session Status. PURE.
 *
 * Remote command (exec/attach) over WebSocket: subprotocol `v4.channel.k8s.io` (Status JSON on the
 * error channel at the end, success included) or the older `channel.k8s.io` (nothing on success,
 * a failure's message as text); binary frames whose first byte is the channel: 0 stdin, 1 stdout,
 * 2 stderr, 3 error, 4 resize (`{"Width":w,"Height":h}`). The server first sends an empty frame on
 * the lowest output channel. Neither subprotocol can close stdin alone (only v5 can, and
 * containerd 1.6 does not speak v5): closing the connection ends the whole session.
 *
 * Remote command over SPDY/3.1 (X-Stream-Protocol-Version v4/v3/v2.channel.k8s.io): one stream
 * per `streamtype` header (error, stdin, stdout, stderr, resize from v3); stdin is half-closed
 * by ending its stream.
 *
 * Port-forward over WebSocket (`v4.channel.k8s.io`, ports from `?port=N`): per port i a data
 * channel 2i and an error channel 2i+1, each starting with the port as 2 bytes little-endian.
 * Over SPDY (`portforward.k8s.io`): an `error` and a `data` stream per connection, with `port`
 * and `requestid` headers.
 */
export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 } as const;

/** What a remote command client offers over WebSocket, in preference order. */
export const WS_REMOTE_COMMAND_PROTOCOLS = ['v4.channel.k8s.io', 'channel.k8s.io'] as const;
/** What a remote command client offers over SPDY, in preference order (resize from v3 on). */
export const SPDY_REMOTE_COMMAND_PROTOCOLS = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io'] as const;
export const WS_PORT_FORWARD_PROTOCOL = 'v4.channel.k8s.io';
export const SPDY_PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';

/** Whether a negotiated remote command protocol ends with the Status as JSON (v4) rather than a failure text. */
export const hasJsonStatus = (protocol: string): boolean => protocol.startsWith('v4.');
/** Whether a negotiated SPDY remote command protocol has the resize stream. */
export const hasResize = (protocol: string): boolean => protocol === 'v4.channel.k8s.io' || protocol === 'v3.channel.k8s.io';

/** A binary frame: the channel byte, then the payload. */
export function encodeFrame(channel: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.concat([Buffer.from([channel]), body]);
}

/** A binary frame as channel and payload; undefined when empty. */
export function decodeFrame(frame: Buffer): { channel: number; payload: Buffer } | undefined {
  if (frame.length === 0) return undefined;
  return { channel: frame[0]!, payload: frame.subarray(1) };
}

/** The resize message the server reads. */
export const resizeMessage = (size: { width: number; height: number }): string => JSON.stringify({ Width: size.width, Height: size.height });

/** The 2-byte little-endian port a port-forward channel starts with. */
export function portPrefix(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port);
  return b;
}

/** The session's outcome: an exit code, or a failure to report. */
export type SessionOutcome = { exitCode: number } | { failure: string };

interface StatusJson {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

/**
 * The outcome from the error channel's bytes. v4: the Status JSON — Success is 0,
 * NonZeroExitCode with an ExitCode cause is that code, anything else a failure. Before v4:
 * nothing is success, text is a failure's message.
 */
export function sessionOutcome(errorChannel: Buffer, jsonStatus: boolean): SessionOutcome {
  const text = errorChannel.toString('utf8');
  if (text.trim() === '') return { exitCode: 0 };
  if (!jsonStatus) return { failure: text };
  let status: StatusJson;
  try {
    status = JSON.parse(text) as StatusJson;
  } catch {
    return { failure: `error stream: ${text}` }; // not a Status: upstream's client reports the text too
  }
  if (status.status === 'Success') return { exitCode: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (cause && Number.isInteger(code)) return { exitCode: code };
  }
  return { failure: status.message ?? text };
}

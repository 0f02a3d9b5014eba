/** How the streaming client connects to a streaming URL. */
export type StreamTransport = 'websocket' | 'spdy';

export interface StreamDialOptions {
  /** The wire protocol; default: defaultRemoteCommandTransport() for exec/attach, WebSocket for port-forward. */
  transport?: StreamTransport;
  /** Trusted CA (PEM) for an https streaming URL. */
  ca?: string;
  /** Deadline for the upgrade (default 30 s). */
  handshakeTimeoutMs?: number;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 30_000;

/**
 * The transport that works for these exec/attach flags on containerd 1.6 (measured there; our own
 * server serves every combination):
 * - stdin without a TTY: SPDY, the only one that can close stdin alone (WebSocket before v5 cannot).
 * - a TTY without stdin: SPDY. Over WebSocket containerd's unrequested stdin channel reads as EOF at
 *   once, and with a TTY its exec I/O then closes stdout: all output is lost.
 * - a TTY with stdin: WebSocket. Over SPDY containerd drops the TTY's output and input (a Go
 *   client's SPDY works; ours does not, cause unknown); with a TTY, EOF is ^D in band anyway.
 * - neither: WebSocket.
 */
export function defaultRemoteCommandTransport(flags: { stdin: boolean; tty: boolean }): StreamTransport {
  return flags.stdin !== flags.tty ? 'spdy' : 'websocket';
}

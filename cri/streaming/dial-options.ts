/** How the streaming client connects to a streaming URL. */
export type StreamTransport = 'websocket' | 'spdy';

export interface StreamDialOptions {
  /** The wire protocol; default: defaultRemoteCommandTransport() for exec, SPDY for attach, WebSocket for port-forward. */
  transport?: StreamTransport;
  /** Trusted CA (PEM) for an https streaming URL. */
  ca?: string;
  /** Deadline for the upgrade (default 30 s). */
  handshakeTimeoutMs?: number;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 30_000;

/**
 * The transport for these exec flags (measured on containerd 1.6; our own server serves
 * every combination):
 * - stdin: SPDY, the only one that can close stdin alone (WebSocket before v5 cannot).
 * - a TTY: SPDY. Over WebSocket containerd's stdin channel reads as EOF at once when stdin was not
 *   asked for, and with a TTY its exec I/O then closes stdout: all output is lost.
 * - neither: WebSocket.
 */
export function defaultRemoteCommandTransport(flags: { stdin: boolean; tty: boolean }): StreamTransport {
  return flags.stdin || flags.tty ? 'spdy' : 'websocket';
}

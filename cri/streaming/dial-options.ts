/** How the streaming client connects to a streaming URL. */
export type StreamTransport = 'websocket' | 'spdy';

export interface StreamDialOptions {
  /**
   * The wire protocol. Default: exec/attach with stdin over SPDY (the only one of the two that can
   * close stdin alone before WebSocket v5, which containerd 1.6 lacks), everything else over
   * WebSocket.
   */
  transport?: StreamTransport;
  /** Trusted CA (PEM) for an https streaming URL. */
  ca?: string;
  /** Deadline for the upgrade (default 30 s). */
  handshakeTimeoutMs?: number;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 30_000;

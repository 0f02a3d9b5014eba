/** The few parts of npm `spdy-transport@3` (no published types) that the node API uses. */
declare module 'spdy-transport' {
  import type { Duplex } from 'node:stream';
  import type { EventEmitter } from 'node:events';

  export interface SpdyStream extends Duplex {
    readonly id: number;
    /** Lowercase header names, as the peer sent them (SPDY/3 SYN_STREAM). */
    readonly headers: Record<string, string>;
    /** Sends SYN_REPLY. */
    respond(status: number, headers: Record<string, string>, callback?: (err?: Error) => void): void;
    abort(code?: string, callback?: () => void): void;
  }

  export interface SpdyConnection extends EventEmitter {
    start(version: number): void;
    /** GOAWAY, then close once the streams are done. */
    end(callback?: () => void): void;
    request(
      uri: { method: string; path: string; headers: Record<string, string>; host?: string },
      callback: (err: Error | null, stream: SpdyStream) => void,
    ): SpdyStream;
    destroyStreams(err?: Error): void;
  }

  interface ConnectionFactory {
    create(socket: Duplex, options: { protocol: 'spdy'; isServer: boolean; windowSize?: number; maxStreams?: number }): SpdyConnection;
  }

  const transport: { connection: ConnectionFactory };
  export default transport;
}

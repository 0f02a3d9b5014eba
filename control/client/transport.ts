/**
 * How the client reaches an API server: one request/response call and one streaming call (watch).
 * HttpsTransport speaks HTTPS with keep-alive; InjectTransport calls a fastify app in process
 * (tests, and controllers living in the control process).
 */
import { Agent, request } from 'node:https';
import type { Readable } from 'node:stream';

export interface TransportResponse { status: number; body: Buffer }

export interface Transport {
  request(method: string, path: string, body?: Buffer, headers?: Record<string, string>): Promise<TransportResponse>;
  /** Opens a streaming GET; resolves with the status and the body stream once headers arrive. */
  stream(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<{ status: number; body: Readable }>;
  /**
   * Drop every connection, idle or in use: pending requests and watches fail at once and later
   * ones dial anew (the kubelet's closeAllConns after a failed heartbeat, so nothing waits on a
   * socket the network lost). Transports without connections of their own leave it out.
   */
  closeAllConnections?(): void;
}

export interface HttpsTransportOptions {
  server: string;              // https://host:port
  caCertPem: string;
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  maxSockets?: number;
}

export class HttpsTransport implements Transport {
  private readonly url: URL;
  private readonly agent: Agent;
  private readonly auth: Record<string, string>;

  constructor(private readonly o: HttpsTransportOptions) {
    this.url = new URL(o.server);
    this.agent = new Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 32, ca: o.caCertPem, cert: o.clientCertPem, key: o.clientKeyPem });
    this.auth = o.token ? { Authorization: `Bearer ${o.token}` } : {};
  }

  request(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<TransportResponse> {
    return new Promise((resolve, reject) => {
      const req = request({
        host: this.url.hostname, port: this.url.port || 443, path, method, agent: this.agent,
        headers: { Accept: 'application/json', ...this.auth, ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body) req.write(body);
      req.end();
    });
  }

  stream(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<{ status: number; body: Readable }> {
    return new Promise((resolve, reject) => {
      const req = request({
        host: this.url.hostname, port: this.url.port || 443, path, method: 'GET', agent: this.agent, signal,
        headers: { Accept: 'application/json', ...this.auth, ...headers },
      }, (res) => resolve({ status: res.statusCode ?? 0, body: res }));
      req.on('error', reject);
      req.end();
    });
  }

  /** The agent stays usable: destroy() ends its sockets, new requests open new ones. */
  closeAllConnections(): void { this.agent.destroy(); }

  close(): void { this.agent.destroy(); }
}

/** The subset of a fastify instance the in-process transport needs. */
export interface Injectable {
  inject(opts: { method: string; url: string; payload?: Buffer; headers?: Record<string, string>; payloadAsStream?: boolean }):
    Promise<{ statusCode: number; rawPayload: Buffer; stream(): Readable }>;
}

export class InjectTransport implements Transport {
  /** `headers` go with every request (e.g. the control plane's loopback token). */
  constructor(private readonly app: Injectable, private readonly headers: Record<string, string> = {}) {}

  async request(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<TransportResponse> {
    const res = await this.app.inject({ method, url: path, payload: body, headers: { accept: 'application/json', ...this.headers, ...headers } });
    return { status: res.statusCode, body: res.rawPayload };
  }

  async stream(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<{ status: number; body: Readable }> {
    const res = await this.app.inject({ method: 'GET', url: path, headers: { accept: 'application/json', ...this.headers, ...headers }, payloadAsStream: true });
    const body = res.stream();
    const onAbort = () => body.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    body.once('close', () => signal.removeEventListener('abort', onAbort));
    return { status: res.statusCode, body };
  }
}

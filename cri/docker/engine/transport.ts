/**
 * HTTP over dockerd's unix socket, pinned to one API version (`/v1.41/...`). Ordinary calls share
 * a keep-alive agent; hijacked calls (exec start, attach) get a connection of their own, which
 * after `101 UPGRADED` carries the raw stream both ways. A non-2xx reply rejects with a
 * DockerEngineError; an abort destroys the request or the response with an AbortError.
 */
import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { abortError, DockerEngineError, errorFromReply } from './errors.js';

export const DEFAULT_API_VERSION = '1.41';

export type QueryValue = string | number | boolean | undefined;

export interface EngineRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Without the version prefix: "/containers/json". */
  path: string;
  /** Undefined values are left out. */
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface EngineTransportOptions { socketPath: string; apiVersion?: string }

/** PURE. "/v1.41/containers/json?all=true&filters=%7B…%7D" */
export function requestPath(apiVersion: string, path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return `/v${apiVersion}${path}${qs === '' ? '' : `?${qs}`}`;
}

/** PURE. One path segment from a name that may hold "/" (image names): "/" stays, the rest is escaped. */
export function nameSegment(name: string): string {
  return encodeURIComponent(name).replace(/%2F/gi, '/');
}

export class EngineTransport {
  readonly #socketPath: string;
  readonly #apiVersion: string;
  readonly #agent = new Agent({ keepAlive: true });

  constructor(opts: EngineTransportOptions) {
    this.#socketPath = opts.socketPath;
    this.#apiVersion = opts.apiVersion ?? DEFAULT_API_VERSION;
  }

  /** The reply, once its status is 2xx; the caller reads (or dumps) the body. */
  send(req: EngineRequest): Promise<IncomingMessage> {
    return new Promise<IncomingMessage>((resolve, reject) => {
      const r = this.#start(req, this.#agent);
      let reply: IncomingMessage | undefined;
      const unwatch = watchAbort(req.signal, r, () => reply, reject);
      r.on('error', (e) => { unwatch(); reject(e); });
      r.on('response', (res) => {
        reply = res;
        if (isOk(res)) {
          res.once('close', unwatch);
          resolve(res);
          return;
        }
        unwatch();
        readText(res).then((text) => reject(errorFromReply(res.statusCode ?? 0, text)), reject);
      });
    });
  }

  /** The reply body parsed as JSON. */
  async json<T>(req: EngineRequest): Promise<T> {
    const text = await readText(await this.send(req));
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new DockerEngineError({ code: 'DOCKER_BAD_REPLY', message: `${req.method} ${req.path}: reply is not JSON`, cause: e });
    }
  }

  /** A call whose reply body does not matter (204s, 304s). */
  async empty(req: EngineRequest): Promise<void> {
    await readText(await this.send(req));
  }

  /**
   * A hijacked connection: sends `Connection: Upgrade, Upgrade: tcp`, and after `101` returns the
   * socket, which carries the raw stream (stdin written to it, `end()` half-closes for EOF).
   */
  hijack(req: EngineRequest): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const r = this.#start({ ...req, headers: { ...req.headers, Connection: 'Upgrade', Upgrade: 'tcp' } }, false);
      const unwatch = watchAbort(req.signal, r, () => undefined, reject);
      r.on('error', (e) => { unwatch(); reject(e); });
      r.on('upgrade', (_res: IncomingMessage, socket: Socket, head: Buffer) => {
        unwatch();
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
      });
      r.on('response', (res) => {
        unwatch();
        void readText(res).then((text) => reject(isOk(res)
          ? new DockerEngineError({ code: 'DOCKER_BAD_REPLY', message: `${req.method} ${req.path}: no upgrade (HTTP ${res.statusCode ?? 0})` })
          : errorFromReply(res.statusCode ?? 0, text)), reject);
      });
    });
  }

  /** Closes idle keep-alive connections; calls and streams in flight are not touched. */
  close(): void {
    for (const list of Object.values(this.#agent.freeSockets)) for (const s of list ?? []) s.destroy();
  }

  #start(req: EngineRequest, agent: Agent | false): ClientRequest {
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const r = request({
      socketPath: this.#socketPath,
      agent,
      method: req.method,
      path: requestPath(this.#apiVersion, req.path, req.query),
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': body.length }),
        ...req.headers,
      },
    });
    r.end(body);
    return r;
  }
}

function isOk(res: IncomingMessage): boolean {
  const s = res.statusCode ?? 0;
  return s >= 200 && s < 300;
}

/** Aborts `r` (before the reply: rejects; after: ends the reply's stream with the AbortError). */
function watchAbort(signal: AbortSignal | undefined, r: ClientRequest, reply: () => IncomingMessage | undefined,
  reject: (e: unknown) => void): () => void {
  if (signal === undefined) return () => undefined;
  const onAbort = (): void => {
    const err = abortError(signal);
    reject(err);
    const res = reply();
    if (res !== undefined && !res.destroyed) res.destroy(err);
    r.destroy(err);
  };
  if (signal.aborted) {
    onAbort();
    return () => undefined;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/** The whole body as UTF-8 text. */
export async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

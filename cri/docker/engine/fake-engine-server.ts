/**
 * A fake Docker Engine API for tests: a node:http server on a unix socket in a temp dir. Tests
 * register handlers per "METHOD /path" (the path without the /v1.41 prefix); every request is
 * recorded. Hijacked calls (Upgrade: tcp) go to upgrade handlers, which own the raw socket.
 * Unrouted requests get Docker's 404 shape.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  /** Decoded path (as Docker's router sees it), version prefix included: "/v1.41/containers/json". */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export type FakeHandler = (req: RecordedRequest, res: ServerResponse) => void;
export type FakeUpgradeHandler = (req: RecordedRequest, socket: Socket) => void;

/** Docker's raw-stream upgrade reply. */
export const UPGRADE_REPLY = 'HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n';

/** One multiplexed-stream frame: [stream, 0, 0, 0, size BE] + payload. */
export function frame(stream: 1 | 2, payload: Buffer | string): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(data.length, 4);
  return Buffer.concat([head, data]);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export class FakeEngineServer {
  readonly requests: RecordedRequest[] = [];
  /** TCP-level connections accepted so far (keep-alive checks). */
  connections = 0;
  readonly #routes = new Map<string, FakeHandler>();
  readonly #upgrades = new Map<string, FakeUpgradeHandler>();
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(readonly socketPath: string, readonly dir: string) {
    this.#server = createServer((req, res) => { void this.#handle(req, res); });
    this.#server.on('connection', (s: Socket) => {
      this.connections++;
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    this.#server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      const rec = record(req, head.toString('utf8'));
      this.requests.push(rec);
      const h = this.#upgrades.get(`${rec.method} ${stripVersion(rec.path)}`);
      if (h === undefined) socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      else h(rec, socket);
    });
  }

  static async start(): Promise<FakeEngineServer> {
    const dir = await mkdtemp(join(tmpdir(), 'tk-fake-engine-'));
    const f = new FakeEngineServer(join(dir, 'docker.sock'), dir);
    await new Promise<void>((resolve) => f.#server.listen(f.socketPath, resolve));
    return f;
  }

  /** Handles "METHOD /path" (no version prefix) with `h`. */
  on(route: string, h: FakeHandler): this {
    this.#routes.set(route, h);
    return this;
  }

  /** Handles a hijacked "METHOD /path"; `h` writes UPGRADE_REPLY (or an HTTP error) itself. */
  onUpgrade(route: string, h: FakeUpgradeHandler): this {
    this.#upgrades.set(route, h);
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await rm(this.dir, { recursive: true, force: true });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rec = record(req, Buffer.concat(chunks).toString('utf8'));
    this.requests.push(rec);
    const h = this.#routes.get(`${rec.method} ${stripVersion(rec.path)}`);
    if (h === undefined) sendJson(res, 404, { message: 'page not found' });
    else h(rec, res);
  }
}

function record(req: IncomingMessage, body: string): RecordedRequest {
  const url = new URL(req.url ?? '/', 'http://docker');
  return { method: req.method ?? '', path: decodeURIComponent(url.pathname), query: url.searchParams, headers: req.headers, body };
}

function stripVersion(path: string): string {
  return path.replace(/^\/v[\d.]+/, '');
}

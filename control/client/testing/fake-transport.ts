/**
 * FakeTransport: the Transport double for client unit tests (no sockets, no server). It records
 * every call and answers from queues the test fills: `answer()` for request/response calls,
 * `answerStream()` for streaming GETs (watches). An unqueued request gets 200 `{}`.
 */
import type { Readable } from 'node:stream';
import type { Transport, TransportResponse } from '../transport.js';

export interface FakeRequest {
  method: string;
  /** The path with its query string, exactly as the client built it. */
  path: string;
  pathname: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** The body parsed as JSON (undefined when there was none). */
  body?: unknown;
}

export class FakeTransport implements Transport {
  readonly requests: FakeRequest[] = [];
  private readonly answers: TransportResponse[] = [];
  private readonly streams: Array<{ status: number; body: Readable }> = [];

  /** Queue the answer to the next request: `body` is JSON-encoded unless it is a string. */
  answer(status: number, body: unknown = {}): void {
    this.answers.push({ status, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) });
  }

  /** Queue the answer to the next stream() call. */
  answerStream(status: number, body: Readable): void {
    this.streams.push({ status, body });
  }

  async request(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<TransportResponse> {
    this.record(method, path, headers, body);
    return this.answers.shift() ?? { status: 200, body: Buffer.from('{}') };
  }

  async stream(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<{ status: number; body: Readable }> {
    this.record('GET', path, headers);
    const next = this.streams.shift();
    if (!next) throw new Error(`FakeTransport: no stream queued for GET ${path}`);
    signal.addEventListener('abort', () => next.body.destroy(), { once: true });
    return next;
  }

  private record(method: string, path: string, headers: Record<string, string>, body?: Buffer): void {
    const url = new URL(path, 'http://fake');
    this.requests.push({
      method, path, pathname: url.pathname, query: url.searchParams, headers,
      body: body?.length ? JSON.parse(body.toString('utf8')) as unknown : undefined,
    });
  }
}

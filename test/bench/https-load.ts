/**
 * The benchmark's HTTP client: node:https over one keep-alive Agent, bearer-token or client-certificate auth, and a
 * closed-loop load runner that stops after N requests or T seconds, whichever comes first.
 */
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';

export interface Target {
  host: string; port: number; ca: string; token?: string;
  /** A client certificate and its key (PEM), presented on every connection. */
  cert?: string; key?: string;
}

export interface Reply { status: number; body: string }

export interface Call { method: string; path: string; body?: string; contentType?: string }

/** Keep-alive client; every call shares the Agent's sockets (maxSockets bounds parallel connections). */
export class HttpsClient {
  readonly agent: Agent;

  constructor(readonly target: Target, maxSockets = 32) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, ca: target.ca, cert: target.cert, key: target.key });
  }

  send(call: Call): Promise<Reply> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.target.token) headers.Authorization = `Bearer ${this.target.token}`;
    if (call.body !== undefined) {
      headers['Content-Type'] = call.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(call.body));
    }
    return new Promise((resolve, reject) => {
      const req = request({ host: this.target.host, port: this.target.port, method: call.method, path: call.path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(call.body);
    });
  }

  close(): void { this.agent.destroy(); }
}

export interface LoadOptions {
  concurrency: number;
  maxRequests: number;
  maxSeconds: number;
  /** The i-th request (0-based, in issue order). */
  call: (i: number) => Call;
  expectStatus: number;
}

export interface LoadResult {
  done: number;
  seconds: number;
  perSecond: number;
  /** True when the time bound, not the count, ended the run. */
  timedOut: boolean;
  failures: number;
  /** The first few failures, for the report. */
  failureSamples: string[];
  /** Indexes of the requests that succeeded. */
  succeeded: number[];
}

/** Runs `concurrency` workers that each send the next request as soon as their previous one ends. */
export async function runLoad(client: HttpsClient, o: LoadOptions): Promise<LoadResult> {
  const t0 = performance.now();
  const deadline = t0 + o.maxSeconds * 1000;
  let next = 0;
  let timedOut = false;
  let failures = 0;
  const failureSamples: string[] = [];
  const fail = (msg: string): void => { failures++; if (failureSamples.length < 5) failureSamples.push(msg); };
  const succeeded: number[] = [];
  const worker = async (): Promise<void> => {
    for (;;) {
      if (next >= o.maxRequests) return;
      if (performance.now() >= deadline) { timedOut = true; return; }
      const i = next++;
      const call = o.call(i);
      try {
        const r = await client.send(call);
        if (r.status === o.expectStatus) succeeded.push(i);
        else fail(`${call.method} ${call.path}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
      } catch (err) {
        fail(`${call.method} ${call.path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const done = succeeded.length + failures;
  return { done, seconds, perSecond: done / seconds, timedOut, failures, failureSamples, succeeded };
}

/**
 * One HTTPS request to a test control plane with the path sent exactly as written (node:https
 * normalises nothing), as a given credential: a bearer token or a client certificate.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';

export interface Credential { token?: string; cert?: string; key?: string }
export interface Answer { status: number; headers: IncomingHttpHeaders; body: string }
export interface RawRequest {
  method: string;
  /** Sent as is: encoded separators, dot segments and doubled slashes reach the server. */
  path: string;
  body?: string;
  contentType?: string;
  /** No answer by then is an error (default 10 s). */
  timeoutMs?: number;
  /** A connection the server resets (a request line it cannot parse) answers status 0. */
  resetIsAnswer?: boolean;
}

export function rawHttps(server: { port: number; caCert: string }, who: Credential, r: RawRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (who.token) headers['Authorization'] = `Bearer ${who.token}`;
    if (r.contentType) headers['Content-Type'] = r.contentType;
    const req = request({ host: '127.0.0.1', port: server.port, method: r.method, path: r.path, ca: server.caCert, cert: who.cert, key: who.key, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(r.timeoutMs ?? 10_000, () => req.destroy(new Error(`${r.method} ${r.path}: no answer`)));
    req.on('error', (err: NodeJS.ErrnoException) => (r.resetIsAnswer && err.code === 'ECONNRESET' ? resolve({ status: 0, headers: {}, body: '' }) : reject(err)));
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

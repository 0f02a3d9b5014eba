/** A raw HTTPS client for the test server: bearer token, the cluster CA, any body and headers. */
import { request } from 'node:https';

export interface RawResponse { status: number; headers: Record<string, string | string[] | undefined>; body: string; json<T = Record<string, unknown>>(): T }

export function rawRequest(opts: { url: string; token: string; ca: string; method: string; path: string; body?: string | Buffer; headers?: Record<string, string> }): Promise<RawResponse> {
  const u = new URL(opts.url);
  return new Promise((resolve, reject) => {
    const req = request({
      host: u.hostname, port: u.port, path: opts.path, method: opts.method, ca: opts.ca,
      headers: { Authorization: `Bearer ${opts.token}`, Accept: 'application/json', ...(opts.headers ?? {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

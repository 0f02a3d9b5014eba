/**
 * HTTP GET probe: 2xx/3xx is success, anything else (or no answer in time) a failure (kubelet's
 * probe/http). `scheme: HTTPS` speaks TLS without verifying the pod's certificate, as the kubelet
 * does (InsecureSkipVerify): a probe checks that the server answers, not who it is.
 */
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ProbeResult } from './types.js';

export interface HttpProbeTarget {
  host: string; port: number; path: string; headers?: Array<{ name: string; value: string }>; timeoutSeconds: number;
  /** HTTP (default) or HTTPS, as the probe's `scheme` says. */
  scheme?: string;
}

export function httpProbe(t: HttpProbeTarget): Promise<ProbeResult> {
  const tls = t.scheme?.toUpperCase() === 'HTTPS';
  const url = `${tls ? 'https' : 'http'}://${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}${t.path.startsWith('/') ? t.path : `/${t.path}`}`;
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
    for (const h of t.headers ?? []) headers[h.name] = h.value;
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => { if (size < 10 * 1024) { chunks.push(c); size += c.length; } });
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        const body = Buffer.concat(chunks).toString('utf8').slice(0, 10 * 1024);
        if (code >= 200 && code < 400) resolve({ ok: true, output: body });
        else resolve({ ok: false, output: `HTTP probe failed with statuscode: ${code}` });
      });
      res.on('error', (err) => resolve({ ok: false, output: `Get "${url}": ${err.message}` }));
    };
    const options = { method: 'GET', headers, timeout: t.timeoutSeconds * 1000 };
    const req = tls ? httpsRequest(url, { ...options, rejectUnauthorized: false }, onResponse) : httpRequest(url, options, onResponse);
    req.on('timeout', () => req.destroy(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')));
    req.on('error', (err) => resolve({ ok: false, output: `Get "${url}": ${describe(err)}` }));
    req.end();
  });
}

function describe(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return `dial tcp ${(err as NodeJS.ErrnoException & { address?: string; port?: number }).address ?? ''}:${(err as { port?: number }).port ?? ''}: connect: connection refused`;
  return err.message;
}

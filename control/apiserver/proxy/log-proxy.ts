/**
 * pods/log: a streamed HTTP GET to the kubelet's /containerLogs. The answer's status and body pass
 * through as they come (follow stays open until the kubelet ends it); when kubectl goes away the
 * upstream request is aborted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:https';
import { internalError } from '../../api/status.js';
import { kubeletTlsOptions } from './kubelet-tls.js';
import type { KubeletClientTls } from './kubelet-tls.js';
import type { StreamTarget } from './stream-target.js';

/** Opens the kubelet log stream; rejects (ApiError) when the kubelet cannot be reached. */
export function openKubeletLogs(target: StreamTarget, tls: KubeletClientTls): Promise<{ res: IncomingMessage; abort(): void }> {
  return new Promise((resolve, reject) => {
    const req = request({ ...kubeletTlsOptions(tls, target.host, target.port), method: 'GET', path: target.path, agent: false });
    req.once('error', (err) => reject(internalError(`Get "https://${target.host}:${target.port}${target.path}": ${err.message}`)));
    req.once('response', (res) => resolve({ res, abort: () => req.destroy() }));
    req.end();
  });
}

/** Copies the kubelet's answer to the client; resolves when either side is done. */
export function pipeLogs(upstream: { res: IncomingMessage; abort(): void }, out: ServerResponse): Promise<void> {
  const { res } = upstream;
  const headers: Record<string, string> = { 'Content-Type': res.headers['content-type'] ?? 'text/plain' };
  const status = res.statusCode ?? 502;
  out.writeHead(status, headers);
  if (status === 200) out.flushHeaders();
  return new Promise((resolve) => {
    const done = () => { upstream.abort(); resolve(); };
    out.once('close', done);
    res.once('error', () => { out.destroy(); done(); });
    res.once('end', () => { out.end(); resolve(); });
    res.pipe(out, { end: false });
  });
}

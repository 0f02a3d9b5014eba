/**
 * The upgrade-aware half of the proxy (upstream's UpgradeAwareHandler): dial the kubelet over TLS,
 * replay the request line and headers (rewritten path, no Authorization, Host = the kubelet),
 * then splice the two sockets. Whatever the kubelet answers — 101 + WebSocket or SPDY frames, or
 * a refusal — reaches the client unchanged.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect } from 'node:tls';
import { internalError } from '../../api/status.js';
import { kubeletTlsOptions } from './kubelet-tls.js';
import type { KubeletClientTls } from './kubelet-tls.js';
import type { StreamTarget } from './stream-target.js';

/** Headers never forwarded to the kubelet (credentials for us, and the hop's own framing). */
const DROPPED = new Set(['authorization', 'host', 'proxy-authorization', 'cookie']);

export function renderUpgradeRequest(req: IncomingMessage, target: StreamTarget): string {
  const lines = [`${req.method ?? 'GET'} ${target.path} HTTP/1.1`, `Host: ${target.host}:${target.port}`];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (!DROPPED.has(name.toLowerCase())) lines.push(`${name}: ${raw[i + 1]!}`);
  }
  return lines.join('\r\n') + '\r\n\r\n';
}

/** Resolves once the kubelet connection is up and the request is sent; rejects (ApiError) when dialing fails. */
export function proxyUpgrade(
  req: IncomingMessage, client: Duplex, head: Buffer, target: StreamTarget, tls: KubeletClientTls,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const upstream = connect(kubeletTlsOptions(tls, target.host, target.port));
    const onDialError = (err: Error) => {
      reject(internalError(`error dialing backend: ${err.message}`));
    };
    upstream.once('error', onDialError);
    upstream.once('secureConnect', () => {
      upstream.off('error', onDialError);
      upstream.write(renderUpgradeRequest(req, target));
      if (head.length > 0) upstream.write(head);
      const stop = () => { upstream.destroy(); client.destroy(); };
      upstream.on('error', stop);
      client.on('error', stop);
      // end (not destroy) so that what is already queued for the client still gets out
      upstream.once('close', () => client.end());
      client.once('close', () => upstream.destroy());
      upstream.pipe(client);
      client.pipe(upstream);
      resolve();
    });
  });
}

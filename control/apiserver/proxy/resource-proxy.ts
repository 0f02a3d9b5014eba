/**
 * pods/proxy, services/proxy and nodes/proxy: the request (its body already read within the body
 * limit) is sent on to the target upstream's ResourceLocation names, and the answer is streamed
 * back as it arrives: status, headers (hop-by-hop ones dropped) and body. The client's own
 * credentials (Authorization, Impersonate-*) never leave the API server. A target that cannot be
 * reached is upstream's 503 "error trying to reach service".
 */
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import https from 'node:https';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { serviceUnavailable } from '../../api/status.js';
import type { ResourceRequestInfo } from '../http/request-info.js';
import { kubeletTlsOptions } from './kubelet-tls.js';
import type { KubeletClientTls } from './kubelet-tls.js';
import type { ProxyTarget } from './proxy-target.js';

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host',
]);

/** PURE. Headers to pass on: no hop-by-hop ones (nor those `Connection` names), no client credentials when `request`. */
export function forwardHeaders(headers: IncomingHttpHeaders, request: boolean): OutgoingHttpHeaders {
  const named = new Set(String(headers.connection ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    const key = k.toLowerCase();
    if (v === undefined || HOP_BY_HOP.has(key) || named.has(key)) continue;
    if (request && (key === 'authorization' || key.startsWith('impersonate-') || key === 'content-length')) continue;
    out[key] = v;
  }
  return out;
}

const SUB_DELIMS = /%(3A|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi;
/** PURE. The proxied path: the decoded segments after `proxy`, re-encoded; a trailing slash is kept. */
export function proxiedPath(info: ResourceRequestInfo, trailingSlash: boolean): string {
  const rest = info.parts.slice(3).map((s) => encodeURIComponent(s).replace(SUB_DELIMS, (m) => decodeURIComponent(m)));
  const trailing = trailingSlash && rest.length > 0 ? '/' : '';
  return `/${rest.join('/')}${trailing}`;
}

const LINK_ATTR = /(\s(?:href|src|action|background|cite|codebase|data|longdesc|profile|usemap|formaction|icon|manifest|poster|archive)\s*=\s*)(["'])(\/(?!\/)[^"']*)\2/gi;
const MAX_REWRITE_BYTES = 3 * 1024 * 1024;

/**
 * PURE. upstream proxy Transport's rewriteURL over an HTML page: a same-host absolute link gets
 * `prefix` (the API path up to the proxied path) in front, unless it already starts with it.
 */
export function rewriteHtmlLinks(html: string, prefix: string): string {
  if (prefix === '' || prefix === '/') return html;
  return html.replace(LINK_ATTR, (all, attr: string, quote: string, link: string) => {
    const q = link.search(/[?#]/);
    const p = q < 0 ? link : link.slice(0, q);
    if (p.startsWith(prefix)) return all;
    const joined = `${prefix.replace(/\/+$/, '')}/${p.replace(/^\/+/, '')}`;
    return `${attr}${quote}${joined}${q < 0 ? '' : link.slice(q)}${quote}`;
  });
}

/** Whether the answer is an uncompressed HTML page, whose links upstream rewrites. */
const rewritable = (h: IncomingHttpHeaders): boolean =>
  /^text\/html\b/i.test(String(h['content-type'] ?? '')) && ['', 'identity'].includes(String(h['content-encoding'] ?? '').toLowerCase());

/** Copies the answer; an HTML page of at most MAX_REWRITE_BYTES is read whole and its links rewritten behind `prefix`. */
function copyAnswer(upstream: IncomingMessage, res: ServerResponse, prefix: string, done: () => void): void {
  const headers = forwardHeaders(upstream.headers, false);
  for (const k of Object.keys(headers)) if (k.startsWith('access-control-')) delete headers[k]; // upstream's corsRemovingTransport
  upstream.on('error', () => { res.destroy(); done(); });
  res.on('close', () => { upstream.destroy(); done(); });
  if (!rewritable(upstream.headers)) {
    res.writeHead(upstream.statusCode ?? 502, headers);
    upstream.pipe(res);
    upstream.on('end', done);
    return;
  }
  delete headers['content-length'];
  const chunks: Buffer[] = [];
  let size = 0;
  const flushRaw = (): void => {
    res.writeHead(upstream.statusCode ?? 502, headers);
    for (const c of chunks) res.write(c);
    upstream.pipe(res);
  };
  const onData = (c: Buffer): void => {
    chunks.push(c);
    size += c.length;
    if (size > MAX_REWRITE_BYTES) { upstream.off('data', onData); upstream.off('end', onEnd); upstream.pause(); flushRaw(); upstream.on('end', done); }
  };
  const onEnd = (): void => {
    const body = Buffer.from(rewriteHtmlLinks(Buffer.concat(chunks).toString('utf8'), prefix));
    res.writeHead(upstream.statusCode ?? 502, { ...headers, 'content-length': body.length });
    res.end(body);
    done();
  };
  upstream.on('data', onData);
  upstream.on('end', onEnd);
}

/** PURE. upstream's PathPrepend: the raw request path up to and with its `proxy` segment. */
export function proxyPrefix(info: ResourceRequestInfo, rawPath: string): string {
  const segs = rawPath.replace(/\/$/, '').split('/');
  return segs.slice(0, segs.length - (info.parts.length - 3)).join('/');
}

/**
 * Sends the request to `target` at `path` and streams the answer into the reply (HTML links
 * rewritten behind `prefix`); rejects with an ApiError only before anything is written.
 */
export function forwardRequest(
  req: FastifyRequest, reply: FastifyReply, target: ProxyTarget, path: string, prefix: string, kubeletTls: KubeletClientTls,
): Promise<void> {
  const raw = req.raw.url ?? '';
  const q = raw.indexOf('?');
  const body = Buffer.isBuffer(req.body) ? req.body : undefined;
  const headers = forwardHeaders(req.headers, true);
  if (body) headers['content-length'] = body.length;
  const forwardedFor = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor ? `${String(forwardedFor)}, ${req.ip}` : req.ip;
  const options = {
    method: req.method, path: `${path}${q < 0 ? '' : raw.slice(q)}`, headers,
    ...(target.kubelet ? kubeletTlsOptions(kubeletTls, target.host, target.port) : { host: target.host, port: target.port }),
    ...(target.scheme === 'https' && !target.kubelet ? { rejectUnauthorized: false } : {}),
  };
  return new Promise<void>((resolve, reject) => {
    let answered = false;
    const onAnswer = (upstream: IncomingMessage): void => {
      answered = true;
      reply.hijack();
      copyAnswer(upstream, reply.raw, prefix, resolve);
    };
    const out = target.scheme === 'https' ? https.request(options, onAnswer) : http.request(options, onAnswer);
    out.on('error', (err) => {
      if (!answered) reject(serviceUnavailable(`error trying to reach service: ${err.message}`));
      else reply.raw.destroy();
    });
    reply.raw.on('close', () => { if (!reply.raw.writableFinished) out.destroy(); }); // the client went away
    out.end(body && body.length > 0 ? body : undefined);
  });
}

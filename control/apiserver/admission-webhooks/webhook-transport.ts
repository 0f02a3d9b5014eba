/**
 * POSTs an AdmissionReview over HTTPS and returns the decoded JSON answer. The server certificate is
 * verified against the webhook's caBundle (the system roots when it has none) for `serverName`,
 * which for a Service is `<name>.<namespace>.svc` even though the connection goes to a pod IP.
 */
import { request } from 'node:https';
import { isIP } from 'node:net';

export interface WebhookTarget {
  /** Where to connect: https://host:port/path (a pod IP for a Service, the configured url otherwise). */
  url: URL;
  /** The name the certificate must carry. */
  serverName: string;
  /** PEM from clientConfig.caBundle; undefined for the system roots. */
  ca?: string;
  /** The URL as errors name it (the Service's DNS name rather than the pod IP). */
  display: string;
}

export interface WebhookTransport {
  /** Rejects with Error on connection, TLS, HTTP status, size or decode failures, and after `timeoutMs`. */
  post(target: WebhookTarget, body: unknown, timeoutMs: number): Promise<unknown>;
}

/** A review answer larger than this is refused (bounds what one webhook can make us buffer). */
export const MAX_RESPONSE_BYTES = 3 * 1024 * 1024;

export const httpsTransport: WebhookTransport = {
  post(target, body, timeoutMs) {
    const payload = Buffer.from(JSON.stringify(body));
    const host = target.url.hostname.replace(/^\[|\]$/g, '');
    return new Promise((resolve, reject) => {
      const req = request({
        method: 'POST', host, port: target.url.port || 443, path: `${target.url.pathname}${target.url.search}`,
        ...(isIP(target.serverName) ? {} : { servername: target.serverName }), ...(target.ca !== undefined ? { ca: target.ca } : {}),
        headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': payload.length },
        agent: false,
      }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE_BYTES) req.destroy(new Error(`webhook response larger than ${MAX_RESPONSE_BYTES} bytes`));
          else chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) {
            reject(new Error(`the server responded with the status code ${res.statusCode ?? 0} but did not return more information`));
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch (err) {
            reject(new Error('the webhook response is not JSON', { cause: err }));
          }
        });
        res.on('error', (err) => { clearTimeout(timer); reject(err); });
      });
      const timer = setTimeout(() => req.destroy(new Error('context deadline exceeded')), timeoutMs);
      req.on('error', (err) => { clearTimeout(timer); reject(err); });
      req.end(payload);
    });
  },
};

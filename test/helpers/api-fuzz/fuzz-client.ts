/** The fuzzer's HTTPS client: one kept-alive connection to the test server, any bytes and headers, never throws on a status. */
import { Agent, request } from 'node:https';
import { connect } from 'node:tls';

/** Bodies above this go over a connection of their own (sendLarge). */
const LARGE = 1024 * 1024;

export interface FuzzAnswer { status: number; body: Buffer; text: string }

export class FuzzClient {
  private readonly agent: Agent;

  constructor(private readonly opts: { port: number; ca: string; token: string }) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 1, ca: opts.ca });
  }

  send(method: string, path: string, body?: Buffer, contentType?: string): Promise<FuzzAnswer> {
    const headers: Record<string, string | number> = { Authorization: `Bearer ${this.opts.token}`, Accept: 'application/json' };
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    if (body !== undefined) headers['Content-Length'] = body.length;
    if (body !== undefined && body.length > LARGE) return this.sendLarge(method, path, headers, body);
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = request({ host: '127.0.0.1', port: this.opts.port, method, path, headers, agent: this.agent }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => { const b = Buffer.concat(chunks); resolve({ status: res.statusCode ?? 0, body: b, text: b.toString('utf8') }); });
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      // a server that answers (413) before reading a huge body may close the socket under the write
      req.on('error', (err) => { if (!answered) reject(err); });
      req.end(body);
    });
  }

  /**
   * A body the server may refuse before reading it all (413 on Content-Length): on a connection of
   * its own, read as soon as the whole answer is in, even while the body is still being written
   * (as Go's client does), then closed.
   */
  private sendLarge(method: string, path: string, headers: Record<string, string | number>, body: Buffer): Promise<FuzzAnswer> {
    return new Promise((resolve, reject) => {
      const head = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
      let raw = Buffer.alloc(0);
      const sock = connect({ host: '127.0.0.1', port: this.opts.port, ca: this.opts.ca }, () => { sock.write(head); sock.write(body); });
      sock.setTimeout(30_000, () => sock.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      const answer = (): FuzzAnswer | undefined => {
        const split = raw.indexOf('\r\n\r\n');
        if (split < 0) return undefined;
        const head = raw.subarray(0, split).toString('latin1');
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
        const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
        const b = raw.subarray(split + 4);
        if (!status || length === undefined || b.length < Number(length)) return undefined;
        return { status: Number(status), body: b.subarray(0, Number(length)), text: b.subarray(0, Number(length)).toString('utf8') };
      };
      sock.on('data', (c: Buffer) => {
        raw = Buffer.concat([raw, c]);
        const a = answer();
        if (a) { sock.destroy(); resolve(a); }
      });
      sock.on('error', (err) => reject(err));
      sock.on('close', () => reject(new Error(`${method} ${path}: connection closed without a whole answer: ${JSON.stringify(raw.subarray(0, 200).toString('latin1'))}`)));
    });
  }

  async getJson(path: string): Promise<{ status: number; object?: Record<string, unknown> }> {
    const a = await this.send('GET', path);
    return a.status === 200 ? { status: 200, object: JSON.parse(a.text) as Record<string, unknown> } : { status: a.status };
  }

  close(): void { this.agent.destroy(); }
}

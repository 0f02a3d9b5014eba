import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demux } from '../frames.js';
import { DockerEngine } from './client.js';
import { FakeEngineServer, frame, sendJson, UPGRADE_REPLY } from './fake-engine-server.js';

let fake: FakeEngineServer;
let d: DockerEngine;
beforeEach(async () => {
  fake = await FakeEngineServer.start();
  d = new DockerEngine({ socketPath: fake.socketPath });
});
afterEach(async () => {
  d.close();
  await fake.close();
});

async function collect(s: NodeJS.ReadableStream): Promise<string> {
  const out: Buffer[] = [];
  for await (const c of s) out.push(c as Buffer);
  return Buffer.concat(out).toString('utf8');
}

describe('hijacked streams', () => {
  it('exec start: upgrades, carries stdin out and frames back, half-closes for EOF', async () => {
    fake.onUpgrade('POST /exec/e1/start', (_r, socket) => {
      socket.write(UPGRADE_REPLY);
      socket.write(frame(2, 'ready\n')); // sent with the 101: arrives in the client's `head`
      socket.on('data', (c: Buffer) => socket.write(frame(1, c)));
      socket.on('end', () => socket.end());
    });
    const sock = await d.startExec('e1', { tty: false });
    const { stdout, stderr } = demux(sock);
    sock.write('hello ');
    sock.end('world');
    const [out, err] = await Promise.all([collect(stdout), collect(stderr)]);
    expect(out).toBe('hello world');
    expect(err).toBe('ready\n');
    const req = fake.requests[0];
    expect(req?.path).toBe('/v1.41/exec/e1/start');
    expect(req?.headers.upgrade).toBe('tcp');
    expect(req?.headers.connection).toMatch(/upgrade/i);
  });

  it('attach sends stream/stdin/stdout/stderr in the query', async () => {
    fake.onUpgrade('POST /containers/c1/attach', (_r, socket) => { socket.end(`${UPGRADE_REPLY}raw`); });
    const sock = await d.attachContainer('c1', { stdin: true, stdout: true, stderr: false });
    expect(await collect(sock)).toBe('raw');
    expect(fake.requests[0]?.query.toString()).toBe('stream=true&stdin=true&stdout=true&stderr=false');
  });

  it('a refused hijack is an HTTP error', async () => {
    fake.onUpgrade('POST /exec/e1/start', (_r, socket) => {
      const body = JSON.stringify({ message: 'container c1 is not running' });
      socket.end(`HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
    await expect(d.startExec('e1', { tty: true })).rejects.toMatchObject({ statusCode: 409, message: 'container c1 is not running' });
  });
});

describe('pull', () => {
  it('splits the reference, sends X-Registry-Auth, reads progress to the end', async () => {
    fake.on('POST /images/create', (_r, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"status":"Pulling from library/web"}\n{"status":"Downlo');
      res.end('ading"}\n{"status":"Digest: sha256:1"}\n');
    });
    await d.pullImage('registry:5000/web:2', { auth: { username: 'u', password: 'p?>' } });
    const r = fake.requests[0];
    expect(r?.query.get('fromImage')).toBe('registry:5000/web');
    expect(r?.query.get('tag')).toBe('2');
    const auth = String(r?.headers['x-registry-auth']);
    expect(auth).not.toMatch(/[+/]/);
    expect(JSON.parse(Buffer.from(auth, 'base64url').toString('utf8'))).toEqual({ username: 'u', password: 'p?>' });
  });

  it('an error inside a 200 stream fails the pull', async () => {
    fake.on('POST /images/create', (_r, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status":"Pulling"}\n{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}\n');
    });
    await expect(d.pullImage('web')).rejects.toMatchObject({ code: 'DOCKER_STREAM_ERROR', statusCode: undefined, message: 'manifest unknown' });
    expect(fake.requests[0]?.query.get('tag')).toBe('latest');
  });

  it('a pull without progress for its deadline is cancelled (DOCKER_NO_PROGRESS); progress keeps it going', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((r) => { closed = r; });
    fake.on('POST /images/create', (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (req.query.get('tag') === 'stalls') { res.write('{"status":"Pulling from web"}\n'); res.once('close', closed); return; }
      let n = 0; // a record every 50 ms for 300 ms: slower than nothing, quicker than the deadline
      const t = setInterval(() => { if (++n === 6) { clearInterval(t); res.end('{"status":"done"}\n'); } else res.write('{"status":"Downloading"}\n'); }, 50);
    });
    await d.pullImage('web:slow', { progressDeadlineMs: 200 });
    await expect(d.pullImage('web:stalls', { progressDeadlineMs: 200 }))
      .rejects.toMatchObject({ code: 'DOCKER_NO_PROGRESS', message: 'cancel pulling image "web:stalls" because of no progress for 200ms' });
    await serverSawClose;
  });

  it('a registry 404 before the stream keeps its status', async () => {
    fake.on('POST /images/create', (_r, res) => sendJson(res, 404, { message: 'pull access denied for nope' }));
    await expect(d.pullImage('nope:1')).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('events and logs', () => {
  it('parses JSON lines split across chunks and ends with AbortError on abort', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((r) => { closed = r; });
    fake.on('GET /events', (_r, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"Type":"container","Action":"st');
      setTimeout(() => res.write('art","Actor":{"ID":"c1","Attributes":{"a":"b"}}}\n{"Type":"container",'), 5);
      setTimeout(() => res.write('"Action":"die","Actor":{"ID":"c1"}}\n'), 10);
      res.on('close', closed);
    });
    const ac = new AbortController();
    const seen: string[] = [];
    const run = (async () => {
      for await (const ev of d.events({ filters: { type: ['container'] }, signal: ac.signal })) {
        seen.push(`${ev.Action ?? ''} ${ev.Actor?.ID ?? ''}`);
        if (seen.length === 2) ac.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'ABORT_ERR' });
    expect(seen).toEqual(['start c1', 'die c1']);
    expect(JSON.parse(fake.requests[0]?.query.get('filters') ?? '')).toEqual({ type: ['container'] });
    await serverSawClose;
  });

  it('logs: query as docker logs sends it; follow ends on abort', async () => {
    fake.on('GET /containers/c1/logs', (_r, res) => {
      res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' });
      res.write(frame(1, '2026-01-01T00:00:00Z hi\n'));
    });
    const ac = new AbortController();
    const s = await d.containerLogs('c1', { follow: true, stdout: true, stderr: true, timestamps: true, tail: 10, since: '1.5' }, ac.signal);
    expect(fake.requests[0]?.query.toString()).toBe('follow=true&stdout=true&stderr=true&timestamps=true&tail=10&since=1.5');
    const chunks: Buffer[] = [];
    const read = (async () => { for await (const c of s) { chunks.push(c as Buffer); ac.abort(); } })();
    await expect(read).rejects.toMatchObject({ code: 'ABORT_ERR' });
    expect(Buffer.concat(chunks).subarray(8).toString()).toBe('2026-01-01T00:00:00Z hi\n');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa } from '../../control/pki/create-ca.js';
import { issueClientCert, issueServingCert } from '../../control/pki/issue-cert.js';
import { silentLogger } from '../../control/util/log.js';
import { FakeRuntime } from '../../cri/fake/fake-runtime.js';
import { openUnder, parseLogPath, renderListing } from './host-logs.js';
import { startNodeApi } from './node-api.js';
import type { NodeApi } from './node-api.js';
import { fakePodLookup } from './testing/fake-pods.js';

describe('parseLogPath', () => {
  it.each([
    ['/logs', { ok: true, segments: [], dir: true }],
    ['/logs/', { ok: true, segments: [], dir: true }],
    ['/logs/syslog', { ok: true, segments: ['syslog'], dir: false }],
    ['/logs/apt/', { ok: true, segments: ['apt'], dir: true }],
    ['/logs//apt/./history.log', { ok: true, segments: ['apt', 'history.log'], dir: false }],
    ['/logs/a%20b.log', { ok: true, segments: ['a b.log'], dir: false }],
    ['/logs/../etc/shadow', { ok: false, code: 400 }],
    ['/logs/apt/%2e%2e/%2e%2e/etc/shadow', { ok: false, code: 400 }],
    ['/logs/..%2fetc', { ok: false, code: 404 }],
    ['/logs/%2e%2e%2fetc', { ok: false, code: 404 }],
    ['/logs/a%00b', { ok: false, code: 404 }],
    ['/logs/%zz', { ok: false, code: 400 }],
  ])('%s', (path, want) => {
    expect(parseLogPath(path)).toEqual(want);
  });

  it('is undefined for other paths', () => {
    expect(parseLogPath('/logsx')).toBeUndefined();
    expect(parseLogPath('/containerLogs/ns/p/c')).toBeUndefined();
  });
});

describe('renderListing', () => {
  it('lists sorted names, directories with a slash, escaped', () => {
    expect(renderListing([{ name: 'b.log', dir: false }, { name: 'apt', dir: true }, { name: '<x>&"', dir: false }, { name: 'a:b', dir: false }]))
      .toBe('<pre>\n<a href="%3Cx%3E&amp;%22">&lt;x&gt;&amp;&#34;</a>\n<a href="./a:b">a:b</a>\n<a href="apt/">apt/</a>\n<a href="b.log">b.log</a>\n</pre>\n');
  });
});

describe('openUnder', () => {
  let base = '';
  let root = '';
  beforeAll(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), 'tk-logs-')));
    root = join(base, 'log');
    await mkdir(join(root, 'apt'), { recursive: true });
    await writeFile(join(root, 'syslog'), 'hello\n');
    await writeFile(join(root, 'apt', 'history.log'), 'apt\n');
    await writeFile(join(base, 'secret'), 'secret\n');
    await mkdir(join(base, 'outside'));
    await writeFile(join(base, 'outside', 'x.log'), 'x\n');
    await symlink(join(base, 'secret'), join(root, 'to-secret'));
    await symlink(join(base, 'outside'), join(root, 'to-outside'));
    await symlink(join(root, 'syslog'), join(root, 'inner-link'));
    execFileSync('mkfifo', [join(root, 'fifo')]);
    await symlink('/dev/null', join(root, 'dev'));
  });
  afterAll(async () => { await rm(base, { recursive: true, force: true }); });

  const read = async (segments: string[]) => {
    const o = await openUnder(root, segments);
    if (!o.ok) return o.code;
    try {
      return o.stats.isDirectory() ? 'dir' : (await o.handle.readFile()).toString();
    } finally {
      await o.handle.close();
    }
  };

  it('opens the root, its directories and files', async () => {
    expect(await read([])).toBe('dir');
    expect(await read(['apt'])).toBe('dir');
    expect(await read(['syslog'])).toBe('hello\n');
    expect(await read(['apt', 'history.log'])).toBe('apt\n');
  });

  it('never follows a symlink, last component or on the way, in or out of the root', async () => {
    expect(await read(['to-secret'])).toBe(404);
    expect(await read(['to-outside', 'x.log'])).toBe(404);
    expect(await read(['to-outside'])).toBe(404);
    expect(await read(['inner-link'])).toBe(404);
    expect(await read(['dev'])).toBe(404);
  });

  it('serves no FIFO (without blocking) and nothing absent', async () => {
    expect(await read(['fifo'])).toBe(404);
    expect(await read(['nope'])).toBe(404);
    expect(await read(['syslog', 'x'])).toBe(404);
  });
});

describe('node API /logs/', () => {
  let api: NodeApi;
  let base = '';
  let ca = '';
  let admin = { cert: '', key: '' };
  let other = { cert: '', key: '' };
  beforeAll(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), 'tk-logs-api-')));
    await mkdir(join(base, 'log', 'apt'), { recursive: true });
    await writeFile(join(base, 'log', 'syslog'), 'line one\n');
    await writeFile(join(base, 'secret'), 'secret\n');
    await symlink(join(base, 'secret'), join(base, 'log', 'link'));
    const root = await createCa();
    const pair = { caCertPem: root.certPem, caKeyPem: root.keyPem };
    ca = root.certPem;
    const serving = await issueServingCert(pair, { commonName: 'node', hosts: ['127.0.0.1'] });
    const a = await issueClientCert(pair, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] });
    const o = await issueClientCert(pair, { commonName: 'someone', organizations: [] });
    admin = { cert: a.certPem, key: a.keyPem };
    other = { cert: o.certPem, key: o.keyPem };
    const rt = new FakeRuntime({ images: ['busybox'] });
    api = await startNodeApi({ host: '127.0.0.1', port: 0, tls: { cert: serving.certPem, key: serving.keyPem, ca }, runtime: rt, pods: fakePodLookup(rt), log: silentLogger(), logDir: join(base, 'log') });
  });
  afterAll(async () => { await api?.close(); await rm(base, { recursive: true, force: true }); });

  const get = (path: string, creds = admin, method = 'GET') => new Promise<{ code: number; type: string; location: string; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: api.port, path, method, ca, ...creds }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, type: String(res.headers['content-type']), location: String(res.headers.location), body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });

  it('lists the directory and serves a file', async () => {
    const list = await get('/logs/');
    expect(list).toMatchObject({ code: 200, type: 'text/html; charset=utf-8' });
    expect(list.body).toBe('<pre>\n<a href="apt/">apt/</a>\n<a href="link">link</a>\n<a href="syslog">syslog</a>\n</pre>\n');
    expect(await get('/logs/syslog')).toMatchObject({ code: 200, body: 'line one\n' });
    expect(await get('/logs/apt')).toMatchObject({ code: 301, location: 'apt/' });
  });

  it('refuses traversal, symlinks, other methods and other clients', async () => {
    expect((await get('/logs/../secret')).code).toBe(400);
    expect((await get('/logs/%2e%2e/secret')).code).toBe(400);
    expect(await get('/logs/link')).toMatchObject({ code: 404, body: '404 page not found\n' });
    expect((await get('/logs/syslog', admin, 'DELETE')).code).toBe(405);
    const refused = await get('/logs/syslog', other);
    expect(refused.code).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ reason: 'Forbidden', message: 'Forbidden (user=someone, verb=get, resource=nodes, subresource=log)' });
  });
});

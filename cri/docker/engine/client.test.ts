import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DockerEngine } from './client.js';
import { DockerEngineError } from './errors.js';
import { FakeEngineServer, sendJson } from './fake-engine-server.js';

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

const noContent = (_req: unknown, res: { writeHead(s: number): void; end(): void }): void => { res.writeHead(204); res.end(); };

describe('DockerEngine calls', () => {
  it('pins the API version and parses JSON replies', async () => {
    fake.on('GET /version', (_r, res) => sendJson(res, 200, { Version: '20.10.24', ApiVersion: '1.41', Os: 'linux' }));
    await expect(d.version()).resolves.toMatchObject({ Version: '20.10.24', ApiVersion: '1.41' });
    expect(fake.requests[0]?.path).toBe('/v1.41/version');
  });

  it('creates a container: name in the query, the rest as the JSON body', async () => {
    fake.on('POST /containers/create', (_r, res) => sendJson(res, 201, { Id: 'abc', Warnings: [] }));
    const id = await d.createContainer({ name: 'k8s_c', Image: 'web:1', Labels: { a: 'b' }, HostConfig: { NetworkMode: 'none' } });
    expect(id).toBe('abc');
    const r = fake.requests[0];
    expect(r?.query.get('name')).toBe('k8s_c');
    expect(r?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r?.body ?? '')).toEqual({ Image: 'web:1', Labels: { a: 'b' }, HostConfig: { NetworkMode: 'none' } });
  });

  it('lists with all and JSON filters', async () => {
    fake.on('GET /containers/json', (_r, res) => sendJson(res, 200, [{ Id: 'c1', Labels: {} }]));
    const rows = await d.listContainers({ all: true, filters: { label: ['x=y'], id: ['c1'] } });
    expect(rows.map((r) => r.Id)).toEqual(['c1']);
    const q = fake.requests[0]?.query;
    expect(q?.get('all')).toBe('true');
    expect(JSON.parse(q?.get('filters') ?? '')).toEqual({ label: ['x=y'], id: ['c1'] });
  });

  it('sends start, stop t, kill signal, remove force/v and resize as Docker names them', async () => {
    for (const route of ['POST /containers/c1/start', 'POST /containers/c1/stop', 'POST /containers/c1/kill',
      'DELETE /containers/c1', 'POST /containers/c1/resize', 'POST /exec/e1/resize']) fake.on(route, noContent);
    await d.startContainer('c1');
    await d.stopContainer('c1', { t: 0 });
    await d.killContainer('c1', { signal: 'SIGKILL' });
    await d.removeContainer('c1', { force: true, v: true });
    await d.resizeContainer('c1', { h: 24, w: 80 });
    await d.resizeExec('e1', { h: 10, w: 20 });
    expect(fake.requests.map((r) => `${r.method} ${r.path}?${r.query.toString()}`)).toEqual([
      'POST /v1.41/containers/c1/start?',
      'POST /v1.41/containers/c1/stop?t=0',
      'POST /v1.41/containers/c1/kill?signal=SIGKILL',
      'DELETE /v1.41/containers/c1?force=true&v=true',
      'POST /v1.41/containers/c1/resize?h=24&w=80',
      'POST /v1.41/exec/e1/resize?h=10&w=20',
    ]);
  });

  it('creates and inspects execs; waits for containers', async () => {
    fake.on('POST /containers/c1/exec', (_r, res) => sendJson(res, 201, { Id: 'e1' }));
    fake.on('GET /exec/e1/json', (_r, res) => sendJson(res, 200, { Running: false, Pid: 0, ExitCode: 3 }));
    fake.on('POST /containers/c1/wait', (_r, res) => sendJson(res, 200, { StatusCode: 137 }));
    expect(await d.createExec('c1', { Cmd: ['ls'], AttachStdout: true })).toBe('e1');
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({ Cmd: ['ls'], AttachStdout: true });
    expect(await d.inspectExec('e1')).toMatchObject({ Running: false, ExitCode: 3 });
    expect(await d.waitContainer('c1')).toEqual({ StatusCode: 137 });
  });

  it('keeps image names with slashes and tags in the path', async () => {
    fake.on('GET /images/tinykube/web:1/json', (_r, res) => sendJson(res, 200, { Id: 'sha256:1', RepoTags: ['tinykube/web:1'], RepoDigests: [], Size: 5 }));
    fake.on('DELETE /images/tinykube/web:1', (_r, res) => sendJson(res, 200, [{ Untagged: 'tinykube/web:1' }]));
    fake.on('GET /images/json', (_r, res) => sendJson(res, 200, []));
    expect((await d.inspectImage('tinykube/web:1')).Id).toBe('sha256:1');
    await d.removeImage('tinykube/web:1');
    expect(await d.listImages()).toEqual([]);
  });

  it('reuses one keep-alive connection for sequential calls', async () => {
    fake.on('GET /version', (_r, res) => sendJson(res, 200, { Version: 'x', ApiVersion: '1.41' }));
    for (let i = 0; i < 3; i++) await d.version();
    expect(fake.connections).toBe(1);
  });
});

describe('DockerEngine errors', () => {
  it('turns a non-2xx reply into statusCode + Docker message', async () => {
    fake.on('GET /containers/nope/json', (_r, res) => sendJson(res, 404, { message: 'No such container: nope' }));
    const e = await d.inspectContainer('nope').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DockerEngineError);
    expect(e).toMatchObject({ statusCode: 404, message: 'No such container: nope', code: 'DOCKER_HTTP_STATUS' });
  });

  it('keeps 304 (already stopped) as an error with its status', async () => {
    fake.on('POST /containers/c1/stop', (_r, res) => { res.writeHead(304); res.end(); });
    await expect(d.stopContainer('c1', { t: 1 })).rejects.toMatchObject({ statusCode: 304 });
  });

  it('keeps a plain-text error body', async () => {
    fake.on('GET /version', (_r, res) => { res.writeHead(500); res.end('boom\n'); });
    await expect(d.version()).rejects.toMatchObject({ statusCode: 500, message: 'boom' });
  });

  it('passes socket errors through with their code', async () => {
    const gone = new DockerEngine({ socketPath: `${fake.dir}/absent.sock` });
    await expect(gone.version()).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects with ABORT_ERR when aborted before the reply', async () => {
    let arrived!: () => void;
    const requested = new Promise<void>((r) => { arrived = r; });
    fake.on('POST /containers/c1/wait', () => { arrived(); /* never answers */ });
    const ac = new AbortController();
    const p = d.waitContainer('c1', ac.signal);
    await requested;
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
  });
});

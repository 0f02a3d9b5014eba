/** placeSocket on a temp directory: mode 0600, stale sockets replaced, anything else refused. */
import { lstat, mkdtemp, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { placeSocket } from './cri-socket.js';

const listenOn = (server: Server) => (path: string) => new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(path, () => resolve());
});
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
const canConnect = (path: string) => new Promise<boolean>((resolve) => {
  const s = connect({ path });
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
});

describe('placeSocket', () => {
  let dir = '';
  const servers: Server[] = [];
  const server = () => { const s = createServer((c) => c.end()); servers.push(s); return s; };
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'tk-cri-sock-')); });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(close));
    await rm(dir, { recursive: true, force: true });
  });

  /** A socket file nobody listens on (as a killed agent leaves it). */
  const staleSocketAt = async (path: string) => {
    const s = server();
    await listenOn(s)(join(dir, 'old'));
    await rename(join(dir, 'old'), path);
    await close(s);
  };

  it('creates the socket 0600 at the path (parent made 0700) and leaves no temporary directory', async () => {
    const path = join(dir, 'sub', 'cri.sock');
    const placed = await placeSocket(path, listenOn(server()));
    const st = await lstat(path);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
    expect((await lstat(join(dir, 'sub'))).mode & 0o777).toBe(0o700);
    expect(await canConnect(path)).toBe(true);
    expect(await readdir(join(dir, 'sub'))).toEqual(['cri.sock']);
    await placed.remove();
    await expect(lstat(path)).rejects.toThrow(/ENOENT/);
  });

  it('replaces a stale socket', async () => {
    const path = join(dir, 'cri.sock');
    await staleSocketAt(path);
    await placeSocket(path, listenOn(server()));
    expect(await canConnect(path)).toBe(true);
  });

  it('refuses a socket someone listens on, a file, a directory and a symlink, touching none of them', async () => {
    const live = join(dir, 'live.sock');
    await listenOn(server())(live);
    await expect(placeSocket(live, listenOn(server()))).rejects.toThrow(/another server is listening/);
    expect(await canConnect(live)).toBe(true);

    const file = join(dir, 'file');
    await writeFile(file, 'keep');
    await expect(placeSocket(file, listenOn(server()))).rejects.toThrow(/not a socket/);
    expect(await readFile(file, 'utf8')).toBe('keep');

    await expect(placeSocket(dir, listenOn(server()))).rejects.toThrow(/not a socket/);

    const link = join(dir, 'link.sock');
    const stale = join(dir, 'stale.sock');
    await staleSocketAt(stale);
    await symlink(stale, link);
    await expect(placeSocket(link, listenOn(server()))).rejects.toThrow(/not a socket/);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  it('remove() leaves a successor\'s socket alone', async () => {
    const path = join(dir, 'cri.sock');
    const first = server();
    const placed = await placeSocket(path, listenOn(first));
    await close(first);
    await rm(path);
    await placeSocket(path, listenOn(server()));
    await placed.remove();
    expect(await canConnect(path)).toBe(true);
  });

  it('refuses a path too long for a unix socket before touching anything', async () => {
    const path = join(dir, 'd'.repeat(100), 'cri.sock');
    await expect(placeSocket(path, listenOn(server()))).rejects.toThrow(/path too long/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('cleans up when binding fails', async () => {
    const path = join(dir, 'cri.sock');
    await expect(placeSocket(path, async () => { throw new Error('bind failed'); })).rejects.toThrow('bind failed');
    expect(await readdir(dir)).toEqual([]);
  });
});

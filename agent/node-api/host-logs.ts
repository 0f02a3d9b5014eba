/**
 * GET /logs/ and /logs/<path> (the kubelet's file server over the host's /var/log, reached
 * through nodes/proxy): a directory answers with an HTML listing as Go's http.FileServer writes it,
 * a regular file with its bytes. Only what really lies inside the root is served: a `..` segment
 * is refused, no component may be a symlink (each is checked with lstat, the last opened with
 * O_NOFOLLOW), what was opened is checked through /proc/self/fd to lie inside the root (so a
 * directory swapped for a symlink between check and open is caught), and only regular files and
 * directories are served — never a device, FIFO or socket.
 */
import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

export const HOST_LOG_DIR = '/var/log';
export const LOGS_PREFIX = '/logs';

/** Where a /logs request points, relative to the root; `dir` when the URL ends with a slash. */
export type LogPath = { ok: true; segments: string[]; dir: boolean } | { ok: false; code: 400 | 404 };

/** PURE. The path below /logs as checked segments; undefined when the URL is not under /logs. */
export function parseLogPath(pathname: string): LogPath | undefined {
  if (pathname !== LOGS_PREFIX && !pathname.startsWith(`${LOGS_PREFIX}/`)) return undefined;
  const rest = pathname.slice(LOGS_PREFIX.length);
  const segments: string[] = [];
  for (const raw of rest.split('/')) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return { ok: false, code: 400 }; // a malformed escape
    }
    if (s === '..') return { ok: false, code: 400 };
    if (s.includes('/') || s.includes('\0') || s.includes('\\')) return { ok: false, code: 404 };
    if (s === '' || s === '.') continue;
    segments.push(s);
  }
  return { ok: true, segments, dir: rest === '' || rest.endsWith('/') };
}

/** PURE. Go's dirList: names sorted, directories with a slash, hrefs escaped as a relative URL path, text HTML-escaped. */
export function renderListing(entries: ReadonlyArray<{ name: string; dir: boolean }>): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);
  const lines = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((e) => {
    const name = e.dir ? `${e.name}/` : e.name;
    let href = encodeURI(name).replace(/[?#]/g, encodeURIComponent);
    if (href.split('/')[0]!.includes(':')) href = `./${href}`; // keep "a:b" from reading as a scheme (Go's url.String)
    return `<a href="${esc(href)}">${esc(name)}</a>\n`;
  });
  return `<pre>\n${lines.join('')}</pre>\n`;
}

/** An opened file or directory under the root, or why there is none. */
export type Opened = { ok: true; handle: FileHandle; stats: Stats; path: string } | { ok: false; code: 404 };

const NOT_FOUND: Opened = { ok: false, code: 404 };

/**
 * Open `segments` under `root` without following any symlink: every directory on the way is
 * lstat'ed (a symlink ends the walk), the last component is opened O_NOFOLLOW|O_NONBLOCK (a FIFO
 * never blocks), and the opened object's real path must lie inside the root. Anything but a
 * regular file or a directory is closed again and not found.
 */
export async function openUnder(root: string, segments: readonly string[]): Promise<Opened> {
  let path = root;
  for (const s of segments.slice(0, -1)) {
    path = join(path, s);
    const st = await lstat(path).catch(() => undefined);
    if (!st?.isDirectory()) return NOT_FOUND; // absent, a file, or a symlink: never followed
  }
  if (segments.length > 0) path = join(path, segments[segments.length - 1]!);
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return NOT_FOUND; // absent, unreadable, or a symlink (ELOOP)
  }
  try {
    const stats = await handle.stat();
    const real = await readlink(`/proc/self/fd/${handle.fd}`);
    const inside = real === root || real.startsWith(root.endsWith('/') ? root : `${root}/`);
    if (inside && (stats.isFile() || stats.isDirectory())) return { ok: true, handle, stats, path: real };
  } catch {
    // stat or /proc failed: not served
  }
  await handle.close();
  return NOT_FOUND;
}

const GO_NOT_FOUND = '404 page not found\n';

function plain(res: ServerResponse, code: number, body: string, head: boolean): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

const contentType = (name: string): string => (name.endsWith('.gz') ? 'application/gzip' : 'text/plain; charset=utf-8');

/** Serve one /logs request (already authorized) from `root` (an absolute, symlink-free directory). */
export async function serveHostLogs(req: IncomingMessage, res: ServerResponse, root: string, target: LogPath): Promise<void> {
  const head = req.method === 'HEAD';
  if (!target.ok) return plain(res, target.code, target.code === 400 ? 'invalid URL path\n' : GO_NOT_FOUND, head);
  const opened = await openUnder(root, target.segments);
  if (!opened.ok) return plain(res, 404, GO_NOT_FOUND, head);
  const { handle, stats } = opened;
  try {
    if (stats.isDirectory()) {
      if (!target.dir) {
        // Go's FileServer: a directory is addressed with a trailing slash
        const base = target.segments[target.segments.length - 1] ?? '';
        res.writeHead(301, { Location: `${encodeURIComponent(base)}/` });
        res.end();
        return;
      }
      const entries = await readdir(`/proc/self/fd/${handle.fd}`, { withFileTypes: true });
      const body = renderListing(entries.map((e) => ({ name: e.name, dir: e.isDirectory() })));
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(head ? undefined : body);
      return;
    }
    if (target.dir) return plain(res, 404, GO_NOT_FOUND, head); // a file addressed as a directory
    res.writeHead(200, { 'Content-Type': contentType(opened.path), 'Content-Length': stats.size, 'Last-Modified': stats.mtime.toUTCString() });
    if (head || stats.size === 0) { res.end(); return; }
    const stream = handle.createReadStream({ start: 0, end: stats.size - 1, autoClose: false });
    await new Promise<void>((resolve) => {
      stream.on('error', () => { res.destroy(); resolve(); });
      res.on('close', () => { stream.destroy(); resolve(); });
      stream.pipe(res);
    });
  } finally {
    await handle.close();
  }
}

import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound } from '../errors.js';
import type { LogLine } from '../types.js';
import { readCriLog } from './cri-log-file.js';

const t = (s: number) => `2026-11-21T23:00:${String(s).padStart(2, '0')}.${'5'.repeat(1 + (s % 9))}Z`;
const F = (s: number, text: string, stream = 'stdout') => `${t(s)} ${stream} F ${text}\n`;
const P = (s: number, text: string, stream = 'stdout') => `${t(s)} ${stream} P ${text}\n`;
const show = (l: LogLine) => `${l.stream}:${l.line.toString()}`;

async function collect(it: AsyncIterable<LogLine>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of it) out.push(show(l));
  return out;
}

/** Takes lines from a following reader until `n` arrived, then aborts it. */
async function take(path: string, n: number, opts: { tailLines?: number; partialFlushMs?: number } = {}, during?: () => Promise<void>) {
  const ac = new AbortController();
  const out: string[] = [];
  const reading = (async () => {
    for await (const l of readCriLog(path, { follow: true, signal: ac.signal, pollMs: 20, ...opts })) {
      out.push(show(l));
      if (out.length >= n) ac.abort();
    }
  })();
  const timer = setTimeout(() => ac.abort(), 3000);
  await during?.();
  await reading;
  clearTimeout(timer);
  return out;
}

describe('readCriLog', () => {
  let dir = '';
  let n = 0;
  const file = () => join(dir, `${n++}.log`);
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'tinykube-crilog-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });
  const none = new AbortController().signal;

  it('reads every line, partial records joined and a last partial line kept', async () => {
    const path = file();
    await writeFile(path, F(1, 'one') + P(2, 'tw') + F(3, 'e', 'stderr') + F(4, 'o') + 'garbage line\n' + P(5, 'no newline at exit'));
    expect(await collect(readCriLog(path, { follow: false, signal: none }))).toEqual(['stdout:one', 'stderr:e', 'stdout:two', 'stdout:no newline at exit']);
  });

  it('reads the last N file lines, and lines since a time', async () => {
    const path = file();
    await writeFile(path, [1, 2, 3, 4, 5].map((s) => F(s, `l${s}`)).join(''));
    expect(await collect(readCriLog(path, { follow: false, tailLines: 2, signal: none }))).toEqual(['stdout:l4', 'stdout:l5']);
    expect(await collect(readCriLog(path, { follow: false, tailLines: 0, signal: none }))).toEqual([]);
    const since = new Date(Date.UTC(2026, 10, 21, 23, 0, 3));
    expect(await collect(readCriLog(path, { follow: false, sinceTime: since, signal: none }))).toEqual(['stdout:l3', 'stdout:l4', 'stdout:l5']);
    expect(await collect(readCriLog(path, { follow: false, sinceTime: since, tailLines: 4, signal: none }))).toEqual(['stdout:l3', 'stdout:l4', 'stdout:l5']);
  });

  it('without follow, reads the file as it was when asked (lines appended meanwhile are not part of a --tail)', async () => {
    const path = file();
    await writeFile(path, [1, 2, 3].map((s) => F(s, `l${s}`)).join(''));
    const out: string[] = [];
    for await (const l of readCriLog(path, { follow: false, tailLines: 2, signal: none })) {
      if (out.length === 0) await appendFile(path, F(4, 'l4') + F(5, 'l5'));
      out.push(show(l));
    }
    expect(out).toEqual(['stdout:l2', 'stdout:l3']);
  });

  it('reads a line bigger than its read buffer', async () => {
    const path = file();
    const big = 'x'.repeat(200_000);
    await writeFile(path, P(1, big.slice(0, 100_000)) + F(1, big.slice(100_000)) + F(2, 'after'));
    const lines = await collect(readCriLog(path, { follow: false, signal: none }));
    expect(lines).toEqual([`stdout:${big}`, 'stdout:after']);
  });

  it('a missing file is NotFound', async () => {
    await expect(collect(readCriLog(join(dir, 'missing.log'), { follow: false, signal: none }))).rejects.toSatisfy(isNotFound);
  });

  it('follows appended lines, a record written in pieces included', async () => {
    const path = file();
    await writeFile(path, F(1, 'old'));
    const lines = await take(path, 3, { tailLines: 1 }, async () => {
      await new Promise((r) => setTimeout(r, 50));
      await appendFile(path, F(2, 'new'));
      await appendFile(path, `${t(3)} stdout F ha`);
      await new Promise((r) => setTimeout(r, 50));
      await appendFile(path, 'lf\n');
    });
    expect(lines).toEqual(['stdout:old', 'stdout:new', 'stdout:half']);
  });

  it('follows across rotation (rename, then a new file at the same path)', async () => {
    const path = file();
    await writeFile(path, F(1, 'before'));
    const lines = await take(path, 3, {}, async () => {
      await new Promise((r) => setTimeout(r, 50));
      await appendFile(path, F(2, 'last of old'));
      await rename(path, `${path}.1`);
      await new Promise((r) => setTimeout(r, 50));
      await writeFile(path, F(3, 'first of new'));
    });
    expect(lines).toEqual(['stdout:before', 'stdout:last of old', 'stdout:first of new']);
  });

  it('reads a truncated file again from its start', async () => {
    const path = file();
    await writeFile(path, F(1, 'aaaaaaaaaaaaaaaa') + F(2, 'bbbbbbbbbbbbbbbbbbb'));
    const lines = await take(path, 3, {}, async () => {
      await new Promise((r) => setTimeout(r, 50));
      await truncate(path, 0);
      await new Promise((r) => setTimeout(r, 50));
      await appendFile(path, F(3, 'c'));
    });
    expect(lines).toEqual(['stdout:aaaaaaaaaaaaaaaa', 'stdout:bbbbbbbbbbbbbbbbbbb', 'stdout:c']);
  });

  it('emits a partial last line after a quiet spell when following', async () => {
    const path = file();
    await writeFile(path, F(1, 'done') + P(2, 'no newline'));
    expect(await take(path, 2, { partialFlushMs: 100 })).toEqual(['stdout:done', 'stdout:no newline']);
  });

  it('stopFollowing reads to the end, emits a partial last line, then ends', async () => {
    const path = file();
    await writeFile(path, F(1, 'first'));
    const stop = new AbortController();
    const out: string[] = [];
    const reading = (async () => {
      for await (const l of readCriLog(path, { follow: true, signal: none, stopFollowing: stop.signal, pollMs: 10_000, partialFlushMs: 10_000 })) out.push(show(l));
    })();
    await new Promise((r) => setTimeout(r, 50));
    await appendFile(path, F(2, 'second') + P(3, 'no newline'));
    stop.abort();
    await reading;
    expect(out).toEqual(['stdout:first', 'stdout:second', 'stdout:no newline']);
  });

  it('ends quietly when the signal aborts while waiting', async () => {
    const path = file();
    await writeFile(path, '');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    expect(await collect(readCriLog(path, { follow: true, signal: ac.signal, pollMs: 10_000 }))).toEqual([]);
  });
});

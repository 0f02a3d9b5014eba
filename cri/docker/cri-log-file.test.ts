import { mkdtemp, readFile, rename, rm, symlink, writeFile, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogLine } from '../types.js';
import { CriLogCopy, criLogText, lastLogTime, rfc3339ToNs, type LogSource } from './cri-log-file.js';

const line = (time: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): LogLine => ({ time, stream, line: Buffer.from(text) });

/** A fake Docker log stream: lines pushed by the test, `since` recorded, ends on end() or abort. */
class FakeStream {
  readonly sinces: (Date | undefined)[] = [];
  #lines: LogLine[] = [];
  #ended = false;
  #wake: () => void = () => undefined;
  readonly source: LogSource = (since, signal) => {
    this.sinces.push(since);
    return this.#iterate(since, signal);
  };

  push(...ls: LogLine[]): void { this.#lines.push(...ls); this.#wake(); }
  end(): void { this.#ended = true; this.#wake(); }

  async *#iterate(since: Date | undefined, signal: AbortSignal): AsyncGenerator<LogLine> {
    signal.addEventListener('abort', () => this.#wake());
    for (;;) {
      while (this.#lines.length > 0) {
        const l = this.#lines.shift()!;
        if (since === undefined || Date.parse(l.time) >= since.getTime()) yield l; // Docker's since includes its bound
      }
      if (this.#ended || signal.aborted) return;
      await new Promise<void>((r) => { this.#wake = r; });
    }
  }
}

const until = async (check: () => Promise<boolean>): Promise<void> => {
  for (let i = 0; i < 200; i++) { if (await check()) return; await new Promise((r) => setTimeout(r, 10)); }
  throw new Error('condition not met in 2 s');
};
const read = (p: string): Promise<string> => readFile(p, 'utf8').catch(() => '');

describe('criLogText', () => {
  it('writes one F line for a short line', () => {
    expect(criLogText(line('2026-11-21T23:11:07.5Z', 'hello World', 'stderr')).toString()).toBe('2026-11-21T23:11:07.5Z stderr F hello World\n');
    expect(criLogText(line('2026-11-21T23:11:07Z', '')).toString()).toBe('2026-11-21T23:11:07Z stdout F \n');
  });

  it('cuts a long line into P pieces and a last F piece', () => {
    expect(criLogText(line('T', 'abcdefg'), 3).toString()).toBe('T stdout P abc\nT stdout P def\nT stdout F g\n');
    expect(criLogText(line('T', 'abcdef'), 3).toString()).toBe('T stdout P abc\nT stdout F def\n');
  });
});

describe('rfc3339ToNs', () => {
  it('is exact to the nanosecond, whatever the fraction width', () => {
    expect(rfc3339ToNs('2026-11-21T23:11:07.484211664Z')).toBe(BigInt(Date.parse('2026-11-21T23:11:07Z')) * 1_000_000n + 484_211_664n);
    expect(rfc3339ToNs('2026-11-21T23:11:07.5Z')! - rfc3339ToNs('2026-11-21T23:11:07Z')!).toBe(500_000_000n);
    expect(rfc3339ToNs('2026-11-21T23:11:07.000000001Z')! > rfc3339ToNs('2026-11-21T23:11:07Z')!).toBe(true);
    expect(rfc3339ToNs('no time')).toBeUndefined();
  });
});

describe('CriLogCopy', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'tk-crilog-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('copies the stream in CRI format into a new file (and its directory) until the stream ends', async () => {
    const s = new FakeStream();
    const path = join(dir, 'c', '0.log');
    const copy = new CriLogCopy(path, s.source);
    await copy.opened;
    expect(await read(path)).toBe('');
    s.push(line('2026-11-21T23:11:07.1Z', 'one'), line('2026-11-21T23:11:07.2Z', 'two', 'stderr'));
    s.end();
    await copy.done;
    expect(await read(path)).toBe('2026-11-21T23:11:07.1Z stdout F one\n2026-11-21T23:11:07.2Z stderr F two\n');
    // the followed stream, then one read of what Docker kept since the last line copied
    expect(s.sinces).toEqual([undefined, new Date('2026-11-21T23:11:07.2Z')]);
  });

  it('after the followed stream ends, copies once more what Docker kept and the stream missed (a last partial line)', async () => {
    const path = join(dir, '0.log');
    const kept = [line('2026-11-21T23:11:07.1Z', 'one'), line('2026-11-21T23:11:07.100000002Z', 'DONE')];
    const calls: string[] = [];
    const source: LogSource = async function* (since, _signal, follow = true) {
      calls.push(`${follow ? 'follow' : 'read'} ${since?.toISOString() ?? '-'}`);
      const lines = follow ? kept.slice(0, 1) : kept.filter((l) => since === undefined || Date.parse(l.time) >= since.getTime());
      yield* lines;
    };
    await new CriLogCopy(path, source).done;
    expect(calls).toEqual(['follow -', 'read 2026-11-21T23:11:07.100Z']);
    expect(await read(path)).toBe('2026-11-21T23:11:07.1Z stdout F one\n2026-11-21T23:11:07.100000002Z stdout F DONE\n');
  });

  it('reopen after a rename writes a new file and leaves the old one alone', async () => {
    const s = new FakeStream();
    const path = join(dir, '0.log');
    const copy = new CriLogCopy(path, s.source);
    s.push(line('2026-11-21T23:11:07.1Z', 'before'));
    await until(async () => (await read(path)).includes('before'));
    await rename(path, `${path}.1`);
    await copy.reopen();
    expect(await read(path)).toBe(''); // created by reopen
    s.push(line('2026-11-21T23:11:07.2Z', 'after'));
    await until(async () => (await read(path)).includes('after'));
    await copy.stop();
    expect(await read(`${path}.1`)).toBe('2026-11-21T23:11:07.1Z stdout F before\n');
    expect(await read(path)).toBe('2026-11-21T23:11:07.2Z stdout F after\n');
  });

  it('resumes after the last time in the file, without writing a line twice', async () => {
    const path = join(dir, '0.log');
    await writeFile(path, '2026-11-21T23:11:07.1Z stdout F one\n2026-11-21T23:11:07.123456789Z stdout F two\n');
    expect(await lastLogTime(path)).toBe(rfc3339ToNs('2026-11-21T23:11:07.123456789Z'));
    const s = new FakeStream();
    s.push(line('2026-11-21T23:11:07.1Z', 'one'), line('2026-11-21T23:11:07.123456789Z', 'two'), line('2026-11-21T23:11:07.12345679Z', 'three'));
    s.end();
    await new CriLogCopy(path, s.source).done;
    expect(s.sinces).toEqual([new Date('2026-11-21T23:11:07.123Z'), new Date('2026-11-21T23:11:07.123Z')]);
    expect(await read(path)).toBe('2026-11-21T23:11:07.1Z stdout F one\n2026-11-21T23:11:07.123456789Z stdout F two\n2026-11-21T23:11:07.12345679Z stdout F three\n');
  });

  it('resumes after the newest rotated file when the live file was just rotated (empty)', async () => {
    const path = join(dir, '0.log');
    await writeFile(`${path}.20261121-231100.gz`, 'not text');
    await writeFile(`${path}.20261121-231106`, '2026-11-21T23:11:06.1Z stdout F older\n');
    await writeFile(`${path}.20261121-231107`, '2026-11-21T23:11:07.1Z stdout F one\n2026-11-21T23:11:07.2Z stdout F two\n');
    await writeFile(path, '');
    const s = new FakeStream();
    s.push(line('2026-11-21T23:11:07.1Z', 'one'), line('2026-11-21T23:11:07.2Z', 'two'), line('2026-11-21T23:11:07.3Z', 'three'));
    s.end();
    await new CriLogCopy(path, s.source).done;
    expect(await read(path)).toBe('2026-11-21T23:11:07.3Z stdout F three\n');
  });

  it('replaces a symlink at the log path instead of writing through it', async () => {
    const target = join(dir, 'docker-json.log');
    await writeFile(target, '{"log":"x"}\n');
    const path = join(dir, '0.log');
    await symlink(target, path);
    const s = new FakeStream();
    s.push(line('2026-11-21T23:11:07.1Z', 'one'));
    s.end();
    await new CriLogCopy(path, s.source).done;
    expect((await lstat(path)).isSymbolicLink()).toBe(false);
    expect(await read(path)).toBe('2026-11-21T23:11:07.1Z stdout F one\n');
    expect(await read(target)).toBe('{"log":"x"}\n');
  });

  it('stop ends a copy whose stream would go on', async () => {
    const s = new FakeStream();
    const copy = new CriLogCopy(join(dir, '0.log'), s.source);
    await copy.opened;
    await copy.stop();
    await expect(copy.done).resolves.toBeUndefined();
  });
});

import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtomicWriteError, AtomicWriter, validatePayloadPath } from './atomic-writer.js';
import type { FileProjection } from './atomic-writer.js';

const file = (s: string, mode = 0o644): FileProjection => ({ data: Buffer.from(s), mode });
const payload = (o: Record<string, FileProjection>) => new Map(Object.entries(o));

describe('AtomicWriter', () => {
  let base: string;
  let dir: string;
  let outside: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'tk-atomic-'));
    dir = join(base, 'vol');
    outside = join(base, 'host-file');
    writeFileSync(outside, 'host secret\n', { mode: 0o600 });
    mkdirSync(dir);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('writes a timestamped payload dir, swaps ..data and exposes links key -> ..data/key', async () => {
    expect(await new AtomicWriter(dir).write(payload({ k: file('v1', 0o640), 'conf/app.conf': file('listen 80\n') }))).toBe(true);
    const ts = readlinkSync(join(dir, '..data'));
    expect(ts).toMatch(/^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\w+$/);
    expect(readlinkSync(join(dir, 'k'))).toBe('..data/k');
    expect(readlinkSync(join(dir, 'conf'))).toBe('..data/conf');
    expect(readFileSync(join(dir, 'k'), 'utf8')).toBe('v1');
    expect(readFileSync(join(dir, 'conf/app.conf'), 'utf8')).toBe('listen 80\n');
    expect(statSync(join(dir, 'k')).mode & 0o777).toBe(0o640);
    expect(statSync(join(dir, ts)).mode & 0o777).toBe(0o755);
  });

  it('writes nothing when the content is unchanged; a change swaps in a new dir and drops the old one and removed keys', async () => {
    const w = new AtomicWriter(dir);
    await w.write(payload({ k: file('v1'), gone: file('x') }));
    const first = readlinkSync(join(dir, '..data'));
    expect(await w.write(payload({ k: file('v1'), gone: file('x') }))).toBe(false);
    expect(await w.write(payload({ k: file('v2') }))).toBe(true);
    const second = readlinkSync(join(dir, '..data'));
    expect(second).not.toBe(first);
    expect(readFileSync(join(dir, 'k'), 'utf8')).toBe('v2');
    expect(readdirSync(dir).sort()).toEqual([second, '..data', 'k'].sort());
  });

  it('never follows a link planted where its own link should be: refuses, the host file untouched', async () => {
    const w = new AtomicWriter(dir);
    await w.write(payload({ k: file('v1') }));
    unlinkSync(join(dir, 'k'));
    symlinkSync(outside, join(dir, 'k'));
    const err = await w.write(payload({ k: file('v2', 0o777) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtomicWriteError);
    expect((err as AtomicWriteError).code).toBe('ForeignEntry');
    expect(readFileSync(outside, 'utf8')).toBe('host secret\n');
    expect(statSync(outside).mode & 0o777).toBe(0o600);
  });

  it('refuses a regular file where its link should be, and a ..data that points out of the volume', async () => {
    const w = new AtomicWriter(dir);
    writeFileSync(join(dir, 'k'), 'planted');
    await expect(w.write(payload({ k: file('v') }))).rejects.toMatchObject({ code: 'ForeignEntry' });
    unlinkSync(join(dir, 'k'));
    symlinkSync(base, join(dir, '..data'));
    await expect(w.write(payload({ k: file('v') }))).rejects.toMatchObject({ code: 'ForeignEntry' });
    expect(lstatSync(join(dir, '..data')).isSymbolicLink()).toBe(true);
    expect(readdirSync(base).sort()).toEqual(['host-file', 'vol']);
  });

  it('does not read an old payload file through a link planted in the payload dir', async () => {
    const w = new AtomicWriter(dir);
    await w.write(payload({ k: file('v1') }));
    const ts = readlinkSync(join(dir, '..data'));
    unlinkSync(join(dir, ts, 'k'));
    symlinkSync(outside, join(dir, ts, 'k'));
    await expect(w.write(payload({ k: file('v2') }))).rejects.toMatchObject({ code: 'ForeignEntry' });
    expect(readFileSync(outside, 'utf8')).toBe('host secret\n');
  });

  it.each([['/abs'], ['a/../b'], ['..hidden'], ['']])('refuses the payload path %j', (p) => {
    expect(() => validatePayloadPath(p)).toThrow(AtomicWriteError);
  });
});

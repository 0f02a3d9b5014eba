import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTar } from './tar-writer.js';
import type { TarEntry } from './tar-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'tk-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const longDir = `a/${'d'.repeat(90)}/${'e'.repeat(40)}`;
const entries: TarEntry[] = [
  { type: 'dir', path: 'bin' },
  { type: 'file', path: 'bin/tool', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
  { type: 'symlink', path: 'bin/sh', target: 'tool' },
  { type: 'dir', path: 'tmp', mode: 0o1777 },
  { type: 'file', path: 'empty', data: new Uint8Array(0) },
  { type: 'file', path: 'big', data: Buffer.alloc(1025, 7) },
  { type: 'dir', path: 'a' },
  { type: 'dir', path: `a/${'d'.repeat(90)}` },
  { type: 'dir', path: longDir },
  { type: 'file', path: `${longDir}/file.txt`, data: Buffer.from('deep\n') },
];

describe('writeTar', () => {
  const tar = writeTar(entries);
  const path = join(dir, 'x.tar');
  writeFileSync(path, tar);

  it('is block aligned and deterministic', () => {
    expect(tar.length % 512).toBe(0);
    expect(writeTar(entries).equals(tar)).toBe(true);
  });

  it('lists every entry with root ownership and the fixed mtime (system tar)', () => {
    const lines = execFileSync('tar', ['-tvf', path], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } }).trim().split('\n');
    expect(lines).toHaveLength(entries.length);
    for (const l of lines) expect(l).toMatch(/root\/root .* 2024-01-01 00:00 /);
    expect(lines[0]).toMatch(/^drwxr-xr-x .* bin\/$/);
    expect(lines[1]).toMatch(/^-rwxr-xr-x root\/root +18 .* bin\/tool$/);
    expect(lines[2]).toMatch(/^lrwxrwxrwx .* bin\/sh -> tool$/);
    expect(lines[3]).toMatch(/^drwxrwxrwt .* tmp\/$/);
    expect(lines[9]).toContain(`${longDir}/file.txt`);
  });

  it('extracts to the same content', () => {
    const out = join(dir, 'out');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('tar', ['-xf', path, '-C', out]);
    expect(readFileSync(join(out, 'bin/tool'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect(readlinkSync(join(out, 'bin/sh'))).toBe('tool');
    expect(readFileSync(join(out, 'big')).equals(Buffer.alloc(1025, 7))).toBe(true);
    expect(statSync(join(out, 'empty')).size).toBe(0);
    expect(readFileSync(join(out, longDir, 'file.txt'), 'utf8')).toBe('deep\n');
  });

  it('rejects a name that cannot fit ustar', () => {
    expect(() => writeTar([{ type: 'file', path: 'x'.repeat(300), data: new Uint8Array(0) }])).toThrow(/too long/);
  });
});

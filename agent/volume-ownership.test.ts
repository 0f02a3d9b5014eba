import { lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ownedMode, setVolumeOwnership } from './volume-ownership.js';

describe('volume ownership (fsGroup)', () => {
  it.each([
    [0o644, false, false, 0o664], [0o400, false, true, 0o440], [0o755, true, true, 0o2755], [0o700, true, false, 0o2770],
  ])('mode %s dir=%s readOnly=%s -> %s', (mode, isDir, ro, want) => {
    expect(ownedMode(mode, isDir, ro).toString(8)).toBe(want.toString(8));
  });

  let base: string;
  beforeEach(() => { base = mkdtempSync(join(tmpdir(), 'tk-own-')); });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it.skipIf(process.getuid?.() !== 0)('gives every entry the group, setgid dirs, and never goes through a link', async () => {
    const vol = join(base, 'vol');
    mkdirSync(join(vol, 'sub'), { recursive: true, mode: 0o755 });
    writeFileSync(join(vol, 'sub', 'f'), 'x', { mode: 0o600 });
    const host = join(base, 'host');
    writeFileSync(host, 'h', { mode: 0o600 });
    symlinkSync(host, join(vol, 'link'));
    await setVolumeOwnership(vol, 4321, false);
    expect(statSync(join(vol, 'sub')).gid).toBe(4321);
    expect(statSync(join(vol, 'sub')).mode & 0o7777).toBe(0o2775);
    expect(statSync(join(vol, 'sub', 'f')).gid).toBe(4321);
    expect(statSync(join(vol, 'sub', 'f')).mode & 0o777).toBe(0o660);
    expect(lstatSync(join(vol, 'link')).gid).toBe(4321);
    expect(statSync(host).gid).toBe(0);
    expect(statSync(host).mode & 0o777).toBe(0o600);
  });
});

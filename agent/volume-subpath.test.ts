import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContainerConfigError } from './env.js';
import { prepareSubPaths, resolveSubPath, SubPathError } from './volume-subpath.js';

describe('resolveSubPath', () => {
  let base: string;
  let vol: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'tk-subpath-'));
    vol = join(base, 'vol');
    mkdirSync(join(vol, 'a', 'b'), { recursive: true });
    writeFileSync(join(vol, 'a', 'f'), 'x');
    mkdirSync(join(base, 'outside'));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('returns the path inside the volume, links inside it resolved', async () => {
    symlinkSync('a/b', join(vol, 'rel'));
    symlinkSync(join(vol, 'a'), join(vol, 'abs'));
    expect(await resolveSubPath(vol, 'a/b')).toBe(join(vol, 'a', 'b'));
    expect(await resolveSubPath(vol, 'rel')).toBe(join(vol, 'a', 'b'));
    expect(await resolveSubPath(vol, 'abs/f')).toBe(join(vol, 'a', 'f'));
  });

  it('creates a missing directory inside the volume with the root mode', async () => {
    const got = await resolveSubPath(vol, 'new/dir');
    expect(got).toBe(join(vol, 'new', 'dir'));
    expect(statSync(got).isDirectory()).toBe(true);
  });

  it.each([
    ['a link to /', () => symlinkSync('/', join(vol, 'x')), 'x'],
    ['a link to a host dir', () => symlinkSync(join(base, 'outside'), join(vol, 'x')), 'x/anything'],
    ['a relative link up and out', () => symlinkSync('../outside', join(vol, 'x')), 'x'],
    ['a link deeper in the path', () => symlinkSync('../../..', join(vol, 'a', 'b', 'up')), 'a/b/up'],
    ['a link loop', () => { symlinkSync('y', join(vol, 'x')); symlinkSync('x', join(vol, 'y')); }, 'x'],
  ])('refuses %s', async (_what, plant, sub) => {
    plant();
    await expect(resolveSubPath(vol, sub)).rejects.toBeInstanceOf(SubPathError);
    expect(statSync(join(base, 'outside')).isDirectory()).toBe(true);
  });

  it.each([['/etc'], ['../vol'], ['a/../../x']])('refuses the subPath %j itself', async (sub) => {
    await expect(resolveSubPath(vol, sub)).rejects.toBeInstanceOf(SubPathError);
  });
});

describe('subPathExpr', () => {
  let vol: string;
  beforeEach(() => { vol = mkdtempSync(join(tmpdir(), 'tk-subpathexpr-')); });
  afterEach(() => rmSync(vol, { recursive: true, force: true }));
  const mount = (subPathExpr: string) => ({ name: 'app', volumeMounts: [{ name: 'v', mountPath: '/m', subPathExpr }] });

  it('expands the container\'s variables ($$ escapes) and mounts that path inside the volume', async () => {
    const got = await prepareSubPaths(mount('$(POD_NAME)/x$$'), { v: vol }, [{ key: 'POD_NAME', value: 'p1' }]);
    expect(got).toEqual({ 0: join(vol, 'p1', 'x$') });
    expect(statSync(got[0]!).isDirectory()).toBe(true);
  });

  it.each([
    ['an unset variable', '$(NOPE)/a', [], 'missing value for NOPE'],
    ['an empty variable', '$(EMPTY)', [{ key: 'EMPTY', value: '' }], 'missing value for EMPTY'],
    ['a value with backsteps', '$(P)', [{ key: 'P', value: '..' }], "unable to provision SubPath `..`: must not contain '..'"],
    ['an absolute value', '$(P)', [{ key: 'P', value: '/tmp' }], 'error SubPath `/tmp` must not be an absolute path'],
  ])('refuses %s with a ContainerConfigError', async (_what, expr, envs, message) => {
    const err = await prepareSubPaths(mount(expr), { v: vol }, envs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerConfigError);
    expect((err as Error).message).toBe(message);
  });
});

import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPluginExec, kindOfCniCode, parseCniError } from './exec-plugin.js';

describe('parseCniError', () => {
  it('reads a CNI error object', () => {
    expect(parseCniError('{"cniVersion":"1.0.0","code":7,"msg":"bad conf","details":"no bridge"}', ''))
      .toEqual({ code: 7, msg: 'bad conf: no bridge' });
  });
  it('falls back to the text', () => {
    expect(parseCniError('', 'panic: x\n')).toEqual({ msg: 'panic: x' });
  });
  it.each([[7, 'InvalidArgument'], [11, 'Unavailable'], [5, 'Unknown'], [undefined, 'Unknown']] as const)(
    'code %s → %s', (code, kind) => expect(kindOfCniCode(code)).toBe(kind));
});

describe('createPluginExec', () => {
  async function plugin(body: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'cni-plugin-'));
    const path = join(dir, 'fake');
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
    return path;
  }
  const inv = (pluginPath: string) => ({
    command: 'ADD' as const, pluginPath, containerId: 'c1', netns: '/ns', ifName: 'eth0', cniPath: '/cni', conf: { name: 'n', cniVersion: '1.0.0' },
  });

  it('passes CNI_* env and the conf on stdin, parses stdout', async () => {
    const p = await plugin('conf=$(cat); printf \'{"cniVersion":"1.0.0","dns":{"env":"%s %s %s %s %s","conf":%s}}\' "$CNI_COMMAND" "$CNI_CONTAINERID" "$CNI_NETNS" "$CNI_IFNAME" "$CNI_PATH" "$conf"');
    expect(await createPluginExec()(inv(p))).toEqual({
      cniVersion: '1.0.0', dns: { env: 'ADD c1 /ns eth0 /cni', conf: { name: 'n', cniVersion: '1.0.0' } },
    });
  });

  it('turns a CNI error into CriError with the mapped kind', async () => {
    const p = await plugin('cat >/dev/null; echo \'{"code":11,"msg":"busy"}\'; exit 1');
    await expect(createPluginExec()(inv(p))).rejects.toMatchObject({ kind: 'Unavailable', message: expect.stringContaining('busy') as string });
  });

  it('returns undefined for empty output (DEL) and fails on a missing binary', async () => {
    expect(await createPluginExec()(inv(await plugin('cat >/dev/null')))).toBeUndefined();
    await expect(createPluginExec()(inv('/nonexistent/plugin'))).rejects.toMatchObject({ kind: 'InvalidArgument' });
  });
});

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildImageArchive } from './image-archive.js';
import { parseLoadResponse } from './image-import.js';
import { archiveFileName, PAUSE_SCRIPT, testImageDefinitions, WEB_ENTRYPOINT } from './test-images.js';

const fakeBusybox = { binary: Buffer.from('busybox'), applets: ['httpd', 'ls', 'sh', 'sleep'] };

describe('testImageDefinitions', () => {
  const defs = testImageDefinitions(fakeBusybox);

  it('defines pause, busybox and three web tags', () => {
    expect(defs.map((d) => d.ref)).toEqual(['tinykube/pause:1', 'tinykube/busybox:1', 'tinykube/web:1', 'tinykube/web:2', 'tinykube/web:3']);
    for (const d of defs) expect(d.options.repoTags).toEqual([d.ref]);
  });

  it('uses another repository when asked', () => {
    expect(testImageDefinitions(fakeBusybox, 'tk-test-ab').map((d) => d.ref)).toContain('tk-test-ab/web:2');
  });

  it('gives pause a TERM-trapping shell and only the applets it needs', () => {
    const pause = defs[0]!;
    expect(pause.options.config.Entrypoint).toEqual(['/bin/sh', '-c', PAUSE_SCRIPT]);
    const links = pause.options.layer.filter((e) => e.type === 'symlink').map((e) => e.path);
    expect(links).toEqual(['bin/sh']);
    expect(PAUSE_SCRIPT).not.toMatch(/sleep/);
  });

  it('gives busybox every applet, passwd, group and a sticky /tmp', () => {
    const bb = defs[1]!;
    expect(bb.options.config).toEqual({ Env: ['PATH=/bin:/sbin'], Cmd: ['sh'] });
    const paths = bb.options.layer.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['bin/busybox', 'bin/httpd', 'bin/ls', 'etc/passwd', 'etc/group', 'tmp']));
    expect(bb.options.layer.find((e) => e.path === 'tmp')).toMatchObject({ type: 'dir', mode: 0o1777 });
  });

  it('makes the web tags share a layer but differ in WEB_VERSION (distinct image IDs)', () => {
    const web = defs.slice(2);
    for (const [i, w] of web.entries()) {
      expect(w.options.config.Env).toContain(`WEB_VERSION=${i + 1}`);
      expect(w.options.config.ExposedPorts).toEqual({ '80/tcp': {} });
      expect(w.options.config.Entrypoint).toEqual(['/entrypoint.sh']);
    }
    const archives = web.map((w) => buildImageArchive(w.options, 'amd64'));
    expect(new Set(archives.map((a) => a.layerDigest)).size).toBe(1);
    expect(new Set(archives.map((a) => a.imageId)).size).toBe(3);
  });

  it('has a web entrypoint that parses as sh and serves on port 80 from /www', () => {
    execFileSync('sh', ['-n'], { input: WEB_ENTRYPOINT });
    expect(WEB_ENTRYPOINT).toContain('httpd -f -v -p "$port" -h /www');
    expect(WEB_ENTRYPOINT).toContain('port=${WEB_PORT:-80}');
  });

  it('names archive files after the ref', () => {
    expect(archiveFileName('tinykube/web:1')).toBe('tinykube-web-1.tar');
  });
});

describe('parseLoadResponse', () => {
  it('returns the loaded refs', () => {
    const body = '{"stream":"Loaded image: tinykube/web:1\\n"}\r\n{"stream":"Loaded image ID: sha256:abc\\n"}\n';
    expect(parseLoadResponse(body)).toEqual(['tinykube/web:1', 'sha256:abc']);
  });

  it('throws the error docker reports', () => {
    const body = '{"errorDetail":{"message":"open /var/lib/docker/tmp/x/manifest.json: no such file or directory"},"error":"open …"}\n';
    expect(() => parseLoadResponse(body)).toThrow(/load image: open .*manifest.json/);
  });
});

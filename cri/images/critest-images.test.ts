import { describe, expect, it } from 'vitest';
import { buildImageArchive } from './image-archive.js';
import { CRI_TOOLS_PREFIX, critestImageDefinitions, E2E_PREFIX, webEntrypoint } from './critest-images.js';

const fakeBusybox = { binary: Buffer.from('busybox'), applets: ['cat', 'echo', 'hostname', 'httpd', 'ls', 'sh', 'top'] };

describe('critest stand-in images', () => {
  const defs = critestImageDefinitions(fakeBusybox);
  const byRef = (ref: string) => defs.find((d) => d.refs.includes(ref))!;

  it('carries the exact names critest v1.26.1 asks for, preloaded or served by the registry', () => {
    expect(defs.filter((d) => d.use === 'preload').flatMap((d) => d.refs)).toEqual([
      `${E2E_PREFIX}/busybox:1.29-2`, `${E2E_PREFIX}/nginx:1.14-2`, `${E2E_PREFIX}/httpd:2.4.39-4`,
      `${CRI_TOOLS_PREFIX}/hostnet-nginx-amd64:latest`, `${CRI_TOOLS_PREFIX}/test-image-predefined-group:latest`,
    ]);
    const registry = defs.filter((d) => d.use === 'registry').flatMap((d) => d.refs);
    expect(registry).toContain(`${CRI_TOOLS_PREFIX}/test-image-tag:test`);
    expect(registry).toContain(`${CRI_TOOLS_PREFIX}/test-image-latest:latest`);
    expect(registry.every((r) => r.startsWith(`${CRI_TOOLS_PREFIX}/`))).toBe(true);
  });

  it('gives the busybox stand-in the applets critest runs', () => {
    const links = byRef(`${E2E_PREFIX}/busybox:1.29-2`).options.layer.filter((e) => e.type === 'symlink').map((e) => e.path);
    for (const a of ['top', 'sh', 'cat', 'hostname', 'echo', 'ls']) expect(links).toContain(`bin/${a}`);
    const pgrep = byRef(`${E2E_PREFIX}/busybox:1.29-2`).options.layer.find((e) => e.path === 'usr/bin/pgrep');
    expect(pgrep).toMatchObject({ type: 'file', mode: 0o755 });
  });

  it('serves nginx and httpd on :80, hostnet-nginx on :12003; httpd logs its command line', () => {
    expect(byRef(`${E2E_PREFIX}/nginx:1.14-2`).options.config).toMatchObject({ Entrypoint: ['/entrypoint.sh'], ExposedPorts: { '80/tcp': {} } });
    const script = (ref: string) => {
      const f = byRef(ref).options.layer.find((e) => e.path === 'entrypoint.sh');
      return f?.type === 'file' ? Buffer.from(f.data).toString() : '';
    };
    expect(script(`${E2E_PREFIX}/httpd:2.4.39-4`)).toContain('httpd -D FOREGROUND');
    expect(script(`${E2E_PREFIX}/httpd:2.4.39-4`)).toContain('httpd -f -p 80 ');
    expect(script(`${CRI_TOOLS_PREFIX}/hostnet-nginx-amd64:latest`)).toContain('httpd -f -p 12003 ');
    expect(webEntrypoint({ port: 8, page: 'p', banner: 'b' })).toMatch(/^#!\/bin\/sh\n/);
  });

  it('sets the USER variants and the predefined group', () => {
    const user = (n: string) => byRef(`${CRI_TOOLS_PREFIX}/${n}:latest`).options.config.User;
    expect([user('test-image-user-uid'), user('test-image-user-username'), user('test-image-user-uid-group'), user('test-image-user-username-group')])
      .toEqual(['1002', 'www-data', '1003:1004', 'www-data:1004']);
    const group = byRef(`${CRI_TOOLS_PREFIX}/test-image-predefined-group:latest`).options.layer.find((e) => e.path === 'etc/group');
    expect(group?.type === 'file' ? Buffer.from(group.data).toString() : '').toContain('group50000:x:50000:user1000');
  });

  it('makes test-image-1..3 three images and test-image-tags:1..3 one image with three tags', () => {
    const ids = [1, 2, 3].map((n) => buildImageArchive(byRef(`${CRI_TOOLS_PREFIX}/test-image-${n}:latest`).options, 'amd64').imageId);
    expect(new Set(ids).size).toBe(3);
    expect(byRef(`${CRI_TOOLS_PREFIX}/test-image-tags:2`).refs).toEqual([1, 2, 3].map((n) => `${CRI_TOOLS_PREFIX}/test-image-tags:${n}`));
  });
});

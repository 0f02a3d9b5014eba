/**
 * Issue 10 items 2 and 6 with the real agent on Docker and kubectl: a container cannot turn the
 * agent's volume writes into writes on the host (configMap/secret/downwardAPI/projected volumes are
 * read-only and written by the atomic writer), a subPath cannot leave its volume, and fsGroup owns
 * the volumes the agent manages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { TestAgent } from '../helpers/test-agent.js';

const BUSYBOX = 'tinykube/busybox:1';

describe('volumes a pod cannot escape (agent on Docker, kubectl)', () => {
  const cp = new TestControlPlane();
  let agent: TestAgent;
  const hostDir = mkdtempSync(join(tmpdir(), 'tk-secvol-host-'));
  const hostFile = join(hostDir, 'target');
  beforeAll(async () => {
    writeFileSync(hostFile, 'host original\n');
    chmodSync(hostFile, 0o600);
    await cp.start();
    agent = new TestAgent(cp, { extraArgs: ['--max-backoff', '4s'] });
    await agent.start();
  });
  afterAll(async () => {
    await agent?.destroy();
    await cp.destroy();
    rmSync(hostDir, { recursive: true, force: true });
  });

  const apply = (name: string, yaml: string) => cp.k('apply', '-f', cp.manifest(`${name}.yaml`, yaml));
  const pod = (name: string, spec: string) => apply(name, `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n${spec}`);
  const jp = (name: string, path: string) => cp.k('get', 'pod', name, '-o', `jsonpath={${path}}`);
  const running = (name: string) => eventually(async () => { expect(await jp(name, '.status.phase')).toBe('Running'); }, { timeoutMs: 30_000, intervalMs: 200 });
  const exec = (name: string, script: string) => cp.kubectl(['exec', name, '--', 'sh', '-c', script]);
  const configMap = (name: string, data: Record<string, string>) =>
    apply(name, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: ${JSON.stringify(data)}\n`);

  it('a container that replaces /cfg/k with a link to a host file cannot make the agent write or chmod it on resync', async () => {
    await configMap('cfg', { k: 'v1', k2: 'v1' });
    await pod('swap', `  containers:\n  - name: c\n    image: "${BUSYBOX}"\n    command: [sh, -c, "rm -f /cfg/k; ln -s ${hostFile} /cfg/k; sleep 3600"]\n`
      + '    volumeMounts: [{name: cfg, mountPath: /cfg}]\n  volumes: [{name: cfg, configMap: {name: cfg}}]\n');
    await running('swap');
    const tried = await exec('swap', 'rm /cfg/k2');
    expect(tried.code).not.toBe(0);
    expect(tried.stderr).toContain('Read-only file system');
    await configMap('cfg', { k: 'v2', k2: 'v2' });
    // the agent has rewritten the volume once its untouched key reads the new value
    await eventually(async () => { expect((await exec('swap', 'cat /cfg/k2')).stdout).toBe('v2'); }, { timeoutMs: 40_000, intervalMs: 500 });
    expect(readFileSync(hostFile, 'utf8')).toBe('host original\n');
    expect(statSync(hostFile).mode & 0o777).toBe(0o600);
    expect((await exec('swap', 'cat /cfg/k')).stdout).toBe('v2');
  });

  it('secret, downwardAPI and projected volumes are read-only too, even when the mount asks for read-write', async () => {
    await apply('sec', 'apiVersion: v1\nkind: Secret\nmetadata: {name: sec}\nstringData: {password: s3cret}\n');
    await pod('ro', `  containers:\n  - name: c\n    image: "${BUSYBOX}"\n    command: [sleep, "3600"]\n`
      + '    volumeMounts: [{name: s, mountPath: /s, readOnly: false}, {name: d, mountPath: /d}, {name: p, mountPath: /p}]\n'
      + '  volumes:\n  - {name: s, secret: {secretName: sec}}\n  - {name: d, downwardAPI: {items: [{path: name, fieldRef: {fieldPath: metadata.name}}]}}\n'
      + '  - {name: p, projected: {sources: [{configMap: {name: cfg}}]}}\n');
    await running('ro');
    expect((await exec('ro', 'cat /s/password /d/name')).stdout).toBe('s3cretro');
    for (const dir of ['/s', '/d', '/p']) {
      const w = await exec('ro', `touch ${dir}/new`);
      expect(w.code, dir).not.toBe(0);
      expect(w.stderr).toContain('Read-only file system');
    }
  });

  it('an init container linking /data/x -> / does not give a later subPath: x the host root: refused with an event', async () => {
    writeFileSync(join(hostDir, 'marker'), 'on the host\n');
    await pod('escape', '  initContainers:\n  - name: plant\n    image: "' + BUSYBOX + '"\n    command: [ln, -s, /, /data/x]\n'
      + '    volumeMounts: [{name: data, mountPath: /data}]\n'
      + `  containers:\n  - name: app\n    image: "${BUSYBOX}"\n    command: [sh, -c, "cat /host${hostDir}/marker; sleep 3600"]\n`
      + '    volumeMounts: [{name: data, mountPath: /host, subPath: x}]\n  volumes: [{name: data, emptyDir: {}}]\n');
    await eventually(async () => {
      expect(await jp('escape', '.status.containerStatuses[0].state.waiting.reason')).toBe('CreateContainerConfigError');
    }, { timeoutMs: 30_000, intervalMs: 200 });
    expect(await jp('escape', '.status.containerStatuses[0].state.waiting.message')).toBe('failed to prepare subPath for volumeMount "data" of container "app"');
    const events = await cp.k('get', 'events', '--field-selector', 'involvedObject.name=escape,reason=Failed', '-o', 'jsonpath={.items[*].message}');
    expect(events).toContain('Error: failed to prepare subPath for volumeMount "data" of container "app"');
    expect(await jp('escape', '.status.containerStatuses[0].state.running')).toBe('');
  });

  it('a subPath inside its volume still works: a configMap key, and a directory made on first use', async () => {
    await configMap('cfg-inside', { k: 'inside' });
    await pod('inside', `  containers:\n  - name: c\n    image: "${BUSYBOX}"\n    command: [sleep, "3600"]\n`
      + '    volumeMounts: [{name: cfg, mountPath: /etc/k, subPath: k}, {name: data, mountPath: /work, subPath: a/b}]\n'
      + '  volumes: [{name: cfg, configMap: {name: cfg-inside}}, {name: data, emptyDir: {}}]\n');
    await running('inside');
    expect((await exec('inside', 'cat /etc/k')).stdout).toBe('inside');
    expect((await exec('inside', 'touch /work/f && ls /work')).stdout).toBe('f\n');
  });

  it('fsGroup owns the volumes the agent manages: group and setgid directories', async () => {
    await pod('fsgroup', '  securityContext: {fsGroup: 2345}\n'
      + `  containers:\n  - name: c\n    image: "${BUSYBOX}"\n    command: [sleep, "3600"]\n`
      + '    volumeMounts: [{name: cfg, mountPath: /cfg}, {name: data, mountPath: /data}]\n'
      + '  volumes: [{name: cfg, configMap: {name: cfg, defaultMode: 256}}, {name: data, emptyDir: {}}]\n');
    await running('fsgroup');
    expect((await exec('fsgroup', "stat -L -c '%g %a' /cfg/k /cfg/..data /data")).stdout).toBe('2345 440\n2345 2755\n2345 2777\n');
  });
});

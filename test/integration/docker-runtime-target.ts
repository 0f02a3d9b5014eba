/**
 * The DockerRuntime target of the runtime contract suite, on the real dockerd with the local test
 * images scripts/test builds (tinykube/busybox:1, tinykube/pause:1) and the local docker-registry on
 * 127.0.0.1:5000 for the pull case (a copy of busybox pushed under a unique name); no pod network
 * (the suite's sandboxes use the host network, so no CNI plugin runs). Everything carries the scope
 * label tk-contract-<rand> and the suite's test-run label, and goes in cleanup(): containers by
 * scope, the throwaway image tags, the pushed manifest, the state dir. Used directly
 * (docker-runtime-contract) and behind the agent's CRI socket (docker-cri-runtime-contract).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerRuntime } from '../../cri/docker/docker-runtime.js';
import { LABEL_SCOPE } from '../../cri/docker/labels.js';
import type { RuntimeTarget } from '../conformance/runtime.js';
import { sh } from './docker-runtime.fixture.js';

const BUSYBOX = 'tinykube/busybox:1';
const PAUSE = 'tinykube/pause:1';
const REGISTRY = '127.0.0.1:5000';
const MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';

/** Why the Docker contract targets cannot run here, or undefined when they can. */
export async function dockerContractSkipReason(): Promise<string | undefined> {
  try {
    await sh('docker', 'version', '--format', '{{.Server.Version}}');
  } catch (err) {
    const e = err as Error & { stderr?: string };
    return `docker is not reachable: ${(e.stderr?.trim() || e.message).split('\n')[0]}`;
  }
  try {
    await sh('docker', 'image', 'inspect', BUSYBOX, PAUSE);
  } catch {
    return `the test images ${BUSYBOX} and ${PAUSE} are missing (scripts/test builds them: tinykube image build-test)`;
  }
  const v2 = await fetch(`http://${REGISTRY}/v2/`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status, () => 0);
  if (v2 !== 200) return `the local docker-registry on ${REGISTRY} does not answer (scripts/test starts it: ensure_registry)`;
  return undefined;
}

export async function dockerContractTarget(): Promise<RuntimeTarget & { runtime: DockerRuntime }> {
  const id = randomBytes(4).toString('hex');
  const scope = `tk-contract-${id}`;
  const stateDir = await mkdtemp(join(tmpdir(), `${scope}-`));
  const removableImage = `${scope}/busybox:1`;
  console.log(`docker runtime contract: scope=${scope} stateDir=${stateDir}; tagging ${BUSYBOX} as ${removableImage}`);
  await sh('docker', 'tag', BUSYBOX, removableImage);
  // the pull case: a unique repository in the local registry, absent from dockerd until pulled
  const pullableImage = `${REGISTRY}/${scope}/busybox:1`;
  await sh('docker', 'tag', BUSYBOX, pullableImage);
  await sh('docker', 'push', '-q', pullableImage);
  await sh('docker', 'rmi', pullableImage);
  const cniTemplate = { name: scope, bridge: `tkc${id}`, dataDir: join(stateDir, 'cni'), firewall: false };
  const runtime = new DockerRuntime({
    // Never invoked: the suite's sandboxes use the host network (updateRuntimeConfig only renders the template).
    cni: { conflist: { cniVersion: '1.0.0', name: scope, plugins: [{ type: 'none' }] } },
    cniTemplate, stateDir, scope, pauseImage: PAUSE,
  });
  return {
    runtime, image: BUSYBOX, removableImage, pullableImage,
    async cleanup() {
      const ids = (await sh('docker', 'ps', '-aq', '--filter', `label=${LABEL_SCOPE}=${scope}`)).split('\n').filter(Boolean);
      console.log(`docker runtime contract: removing ${ids.length} leftover container(s), the tag ${removableImage} and ${stateDir}`);
      if (ids.length > 0) await sh('docker', 'rm', '-f', '-v', ...ids);
      await sh('docker', 'rmi', removableImage).catch(() => undefined); // the suite removed it already
      await sh('docker', 'rmi', pullableImage).catch(() => undefined); // never pulled: the pull case failed early
      const manifest = `http://${REGISTRY}/v2/${scope}/busybox/manifests`;
      const head = await fetch(`${manifest}/1`, { method: 'HEAD', headers: { accept: MANIFEST_V2 } });
      const digest = head.headers.get('docker-content-digest');
      if (digest !== null) await fetch(`${manifest}/${digest}`, { method: 'DELETE' });
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * Materialises a pod's volumes on the host: emptyDir directories, hostPath (DirectoryOrCreate /
 * FileOrCreate), and files for configMap, secret, downwardAPI and projected volumes (items, keys,
 * modes; a projected serviceAccountToken from the token manager, projected-token.ts), written by
 * the AtomicWriter only when their content changes, so a sync is cheap. With a pod fsGroup,
 * emptyDir (once, when made) and the written volumes get its group (volume-ownership.ts).
 */
import { chmod, lstat, mkdir, writeFile } from 'node:fs/promises';
import { ensureLocalPathDir, localPathRoot } from './claim-volumes.js';
import type { ClaimVolume } from './claim-volumes.js';
import { dirname } from 'node:path';
import type { DownwardAPIVolumeFile, KeyToPath, Pod, Volume } from 'kubernetes-types/core/v1.js';
import { fieldValue, resourceValue } from './env.js';
import type { EnvContext, PodRefs } from './env.js';
import { AtomicWriteError, AtomicWriter } from './atomic-writer.js';
import { projectedTokens, tokenFileMode } from './projected-token.js';
import type { TokenSource } from './token-manager.js';
import { setVolumeOwnership } from './volume-ownership.js';
import { isAgentWritten, volumeHostPath } from './volume-paths.js';

export class VolumeError extends Error {
  constructor(readonly volume: string, message: string) { super(message); this.name = 'VolumeError'; }
}

interface FileSpec { path: string; content: Buffer; mode: number; fsUser?: number }

function fromKeys(volume: string, kind: 'configmap' | 'secret', name: string, data: Record<string, Buffer> | undefined,
  items: KeyToPath[] | undefined, optional: boolean, mode: number): FileSpec[] {
  if (!data) {
    if (optional) return [];
    throw new VolumeError(volume, `${kind} "${name}" not found`);
  }
  if (!items?.length) return Object.entries(data).map(([k, v]) => ({ path: k, content: v, mode }));
  const out: FileSpec[] = [];
  for (const it of items) {
    const v = data[it.key];
    if (v === undefined) {
      if (optional) continue;
      throw new VolumeError(volume, `configmap references non-existent config key: ${it.key}`);
    }
    out.push({ path: it.path, content: v, mode: it.mode ?? mode });
  }
  return out;
}

const text = (m: Record<string, string> | undefined): Record<string, Buffer> | undefined =>
  m === undefined ? undefined : Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Buffer.from(v)]));
const b64 = (m: Record<string, string> | undefined): Record<string, Buffer> | undefined =>
  m === undefined ? undefined : Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Buffer.from(v, 'base64')]));

function downward(pod: Pod, items: DownwardAPIVolumeFile[], mode: number, ctx: EnvContext): FileSpec[] {
  return items.map((it) => {
    const v = it.fieldRef ? fieldValue(pod, it.fieldRef.fieldPath, ctx)
      : it.resourceFieldRef ? resourceValue(pod, it.resourceFieldRef.containerName ?? '', it.resourceFieldRef.resource, it.resourceFieldRef.divisor, ctx) : '';
    return { path: it.path, content: Buffer.from(v), mode: it.mode ?? mode };
  });
}

function configMapFiles(v: Volume, refs: PodRefs, name: string, items: KeyToPath[] | undefined, optional: boolean, mode: number): FileSpec[] {
  const cm = refs.configMaps[name];
  const data = cm ? { ...text(cm.data), ...b64(cm.binaryData) } : undefined;
  return fromKeys(v.name, 'configmap', name, data, items, optional, mode);
}

/** PURE: the files of a volume (empty for directory-only kinds); `tokens` holds the projected tokens by source index. */
export function volumeFiles(pod: Pod, v: Volume, refs: PodRefs, ctx: EnvContext, tokens: ReadonlyMap<number, string> = new Map()): FileSpec[] {
  if (v.configMap) return configMapFiles(v, refs, v.configMap.name ?? '', v.configMap.items, v.configMap.optional ?? false, v.configMap.defaultMode ?? 0o644);
  if (v.secret) {
    const n = v.secret.secretName ?? '';
    return fromKeys(v.name, 'secret', n, b64(refs.secrets[n]?.data), v.secret.items, v.secret.optional ?? false, v.secret.defaultMode ?? 0o644);
  }
  if (v.downwardAPI) return downward(pod, v.downwardAPI.items ?? [], v.downwardAPI.defaultMode ?? 0o644, ctx);
  if (v.projected) {
    const mode = v.projected.defaultMode ?? 0o644;
    return (v.projected.sources ?? []).flatMap((s, i) => {
      if (s.configMap) return configMapFiles(v, refs, s.configMap.name ?? '', s.configMap.items, s.configMap.optional ?? false, mode);
      if (s.secret) {
        const n = s.secret.name ?? '';
        return fromKeys(v.name, 'secret', n, b64(refs.secrets[n]?.data), s.secret.items, s.secret.optional ?? false, mode);
      }
      if (s.downwardAPI) return downward(pod, s.downwardAPI.items ?? [], mode, ctx);
      const token = tokens.get(i);
      if (s.serviceAccountToken && token !== undefined) return [{ path: s.serviceAccountToken.path, content: Buffer.from(token), ...tokenFileMode(pod, mode) }];
      return [];
    });
  }
  return [];
}

/** Create or refresh every supported volume of the pod under dataDir (`tokens` answers serviceAccountToken sources). */
export async function prepareVolumes(pod: Pod, refs: PodRefs, dataDir: string, ctx: EnvContext, tokens?: TokenSource): Promise<void> {
  const uid = pod.metadata?.uid ?? '';
  const fsGroup = pod.spec?.securityContext?.fsGroup;
  for (const v of pod.spec?.volumes ?? []) {
    const claim = v.persistentVolumeClaim ? refs.claims?.[v.name] : undefined;
    if (claim) { await prepareClaimVolume(v.name, claim, dataDir, fsGroup, v.persistentVolumeClaim?.readOnly === true); continue; }
    const dir = volumeHostPath(dataDir, uid, v);
    if (dir === undefined) continue;
    if (v.hostPath) {
      if (v.hostPath.type === 'DirectoryOrCreate') await mkdir(dir, { recursive: true, mode: 0o755 });
      else if (v.hostPath.type === 'FileOrCreate') {
        await mkdir(dirname(dir), { recursive: true });
        await writeFile(dir, '', { flag: 'a' });
      }
      continue;
    }
    const created = await mkdir(dir, { recursive: true, mode: 0o777 }) !== undefined;
    if (!isAgentWritten(v)) {
      if (created) await chmod(dir, 0o777); // emptyDir: world-writable as upstream, whatever the umask
      if (created && fsGroup !== undefined) await setVolumeOwnership(dir, fsGroup, false);
      continue;
    }
    let projected: Map<number, string> | undefined;
    try {
      projected = v.projected ? await projectedTokens(pod, v, tokens) : undefined;
    } catch (err) {
      throw new VolumeError(v.name, err instanceof Error ? err.message : String(err));
    }
    const payload = new Map(volumeFiles(pod, v, refs, ctx, projected)
      .map((f) => [f.path, { data: f.content, mode: f.mode, ...(f.fsUser === undefined ? {} : { fsUser: f.fsUser }) }]));
    // the whole volume, the new payload included, before it is made visible (as upstream's setPerms)
    const setPerms = fsGroup === undefined ? undefined : () => setVolumeOwnership(dir, fsGroup, true);
    try {
      await new AtomicWriter(dir).write(payload, setPerms);
    } catch (err) {
      if (err instanceof AtomicWriteError) throw new VolumeError(v.name, err.message);
      throw err;
    }
  }
}

/**
 * A claim's volume: the local-path directory made on first use; a hostPath PV's type honoured as a
 * pod's hostPath; a static local PV must exist. fsGroup on local volumes when the root's group
 * differs (upstream's OnRootMismatch), so a big volume is not walked at every sync.
 */
async function prepareClaimVolume(name: string, c: ClaimVolume, dataDir: string, fsGroup: number | undefined, readOnly: boolean): Promise<void> {
  try {
    if (c.provisioned) await ensureLocalPathDir(localPathRoot(dataDir), c.path);
    else if (c.hostPathType === 'DirectoryOrCreate') await mkdir(c.path, { recursive: true, mode: 0o755 });
    else if (c.hostPathType === 'FileOrCreate') {
      await mkdir(dirname(c.path), { recursive: true });
      await writeFile(c.path, '', { flag: 'a' });
    } else if (c.local || (c.hostPathType && c.hostPathType !== '')) {
      const st = await lstat(c.path).catch(() => undefined); // absent: refused below
      if (!st) throw new VolumeError(name, `path "${c.path}" does not exist`);
      if (c.hostPathType === 'Directory' && !st.isDirectory()) throw new VolumeError(name, `hostPath type check failed: ${c.path} is not a directory`);
      if (c.hostPathType === 'File' && !st.isFile()) throw new VolumeError(name, `hostPath type check failed: ${c.path} is not a file`);
    }
    if (c.local && fsGroup !== undefined) {
      const st = await lstat(c.path);
      if (st.isDirectory() && st.gid !== fsGroup) await setVolumeOwnership(c.path, fsGroup, readOnly);
    }
  } catch (err) {
    if (err instanceof VolumeError) throw err;
    throw new VolumeError(name, err instanceof Error ? err.message : String(err));
  }
}

/** The managed /etc/hosts (kubelet's format), with the pod IP and hostname and any hostAliases. */
export function renderEtcHosts(pod: Pod, podIP: string): string {
  const spec = pod.spec;
  const hostname = spec?.hostname ?? pod.metadata?.name ?? '';
  let s = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'
    + 'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  if (podIP) {
    s += spec?.subdomain
      ? `${podIP}\t${hostname}.${spec.subdomain}.${pod.metadata?.namespace ?? 'default'}.svc.cluster.local\t${hostname}\n`
      : `${podIP}\t${hostname}\n`;
  }
  if (spec?.hostAliases?.length) {
    s += '\n# Entries added by HostAliases.\n';
    for (const a of spec.hostAliases) s += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  }
  return s;
}

/** ImageService on Docker: list, status (undefined when absent), pull (progress consumed), remove. */
import { CriError } from '../errors.js';
import type { AuthConfig, Image, ImageFilter, ImageSpec } from '../types.js';
import type { DockerEngine } from './engine/client.js';
import type { RegistryAuth } from './engine/types.js';
import { splitImageRef } from './engine/image-ref.js';
import { splitRegistry } from '../images/reference.js';
import type { MirrorLookup } from './registry-mirrors.js';
import { docker as call, dockerIdempotent, dockerStatus, translateDockerError } from './errors.js';

export interface PullOptions {
  /** Registry mirrors (containerd's hosts.toml layout), tried before the registry itself. */
  mirrors?: MirrorLookup;
  /** Cancel an attempt that sends no progress record for this long (dockershim's --image-pull-progress-deadline). */
  progressDeadlineMs?: number;
}

export async function listImages(d: DockerEngine, filter?: ImageFilter): Promise<Image[]> {
  if (filter?.image !== undefined) {
    const one = await imageStatus(d, filter.image);
    return one === undefined ? [] : [one];
  }
  const infos = await call('list images', () => d.listImages());
  return infos.map((i) => ({ id: i.Id, repoTags: i.RepoTags ?? [], repoDigests: i.RepoDigests ?? [], size: i.Size }));
}

export async function imageStatus(d: DockerEngine, image: ImageSpec): Promise<Image | undefined> {
  try {
    const i = await d.inspectImage(image.image);
    return { id: i.Id, repoTags: i.RepoTags ?? [], repoDigests: i.RepoDigests ?? [], size: i.Size, ...imageUser(i.Config?.User ?? '') };
  } catch (e) {
    if (dockerStatus(e) === 404) return undefined;
    throw translateDockerError(e, `inspect image ${image.image}`);
  }
}

/**
 * PURE. The image's USER as CRI reports it (dockershim getUserFromImageUser): the part before
 * ':' as `uid` when it is a number, else as `username`; nothing when USER is unset.
 */
export function imageUser(user: string): Pick<Image, 'uid' | 'username'> {
  const name = user.split(':')[0] ?? '';
  if (name === '') return {};
  return /^[0-9]+$/.test(name) && Number.isSafeInteger(Number(name)) ? { uid: Number(name) } : { username: name };
}

/**
 * Pulls and returns the image ID (the imageRef). The client reads the progress stream to its end;
 * an `error` record in it fails the pull (Unknown). A registry "not found" (HTTP 404) becomes NotFound.
 * With `mirrors`, a tagged reference is first pulled through each mirror of its registry in turn
 * (registry-mirrors.ts); the registry itself is the last resort. With `progressDeadlineMs`, each
 * attempt that sends no progress for that long is cancelled (DeadlineExceeded; a mirror that
 * stalls counts as one that does not have the image).
 */
export async function pullImage(d: DockerEngine, image: ImageSpec, auth?: AuthConfig, signal?: AbortSignal,
  o: PullOptions = {}): Promise<string> {
  const what = `pull image ${image.image}`;
  signal?.throwIfAborted();
  const deadline = o.progressDeadlineMs === undefined ? {} : { progressDeadlineMs: o.progressDeadlineMs };
  if (o.mirrors !== undefined && !image.image.includes('@')) {
    const viaMirror = await pullThroughMirrors(d, image.image, o.mirrors, { ...deadline, ...(signal === undefined ? {} : { signal }) });
    if (viaMirror !== undefined) return viaMirror;
  }
  try {
    await d.pullImage(image.image, {
      ...(auth === undefined ? {} : { auth: registryAuth(auth) }),
      ...(signal === undefined ? {} : { signal }),
      ...deadline,
    });
  } catch (e) {
    if (signal?.aborted === true) throw new CriError('DeadlineExceeded', `${what}: aborted`, { cause: e });
    throw translateDockerError(e, what);
  }
  const status = await imageStatus(d, image);
  if (status === undefined) throw new CriError('NotFound', `${what}: image absent after pull`);
  return status.id;
}

/** The image ID after a pull through the first mirror that has `ref`, named `ref`; undefined when none has it. */
async function pullThroughMirrors(d: DockerEngine, ref: string, mirrors: MirrorLookup,
  opts: { signal?: AbortSignal; progressDeadlineMs?: number }): Promise<string | undefined> {
  const { host, rest } = splitRegistry(ref);
  const { signal } = opts;
  for (const mirror of await mirrors(host)) {
    const mirrored = `${mirror}/${rest}`;
    try {
      await d.pullImage(mirrored, opts);
    } catch (e) {
      if (signal?.aborted === true) throw new CriError('DeadlineExceeded', `pull image ${ref} through ${mirror}: aborted`, { cause: e });
      continue; // this mirror does not have it (or is down): the next one, then the registry itself
    }
    const { fromImage, tag } = splitImageRef(ref);
    await call(`tag image ${mirrored} as ${ref}`, () => d.tagImage(mirrored, fromImage, tag));
    await dockerIdempotent(`untag image ${mirrored}`, () => d.removeImage(mirrored));
    const status = await imageStatus(d, { image: ref });
    if (status !== undefined) return status.id;
  }
  return undefined;
}

/** CRI credentials in Docker's field names. */
function registryAuth(auth: AuthConfig): RegistryAuth {
  return {
    ...(auth.username === undefined ? {} : { username: auth.username }),
    ...(auth.password === undefined ? {} : { password: auth.password }),
    ...(auth.auth === undefined ? {} : { auth: auth.auth }),
  };
}

/**
 * Idempotent: removing an absent image succeeds. Named by its ID, the image goes with every tag,
 * as CRI has it (and dockershim did): Docker itself refuses an ID that several repositories name.
 */
export async function removeImage(d: DockerEngine, image: ImageSpec): Promise<void> {
  const st = await imageStatus(d, image);
  if (st === undefined) return;
  const byId = image.image === st.id || `sha256:${image.image}` === st.id;
  if (byId && st.repoTags.length > 1) {
    for (const tag of st.repoTags) await dockerIdempotent(`remove image ${tag}`, () => d.removeImage(tag));
    return;
  }
  await dockerIdempotent(`remove image ${image.image}`, () => d.removeImage(image.image));
}

/** Pulls `image` unless it is present (PullIfNotPresent); returns its ID. */
export async function ensureImage(d: DockerEngine, image: string): Promise<string> {
  const present = await imageStatus(d, { image });
  return present?.id ?? pullImage(d, { image });
}

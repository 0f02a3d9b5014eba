/**
 * Resolves a volumeMount's subPath inside its volume the way the kubelet's subpather does
 * (EvalSymlinks, then a path that must stay within the volume, opened one element at a time):
 * every element is looked at with lstat, a link is followed only while the path stays inside the
 * volume, and the result is a host path without any link in it, so the runtime mounts what was
 * checked. Missing directories are created inside the volume with the volume root's mode
 * (upstream SafeMakeDir). A subPath that leaves the volume is refused with SubPathError.
 * Still open: upstream then bind-mounts the descriptor it opened, so nothing can change between
 * the check and the runtime's mount; here another running container of the pod that writes the
 * volume could swap an element for a link in that window.
 */
import { lstat, mkdir, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { KeyValue } from '../cri/types.js';
import { ContainerConfigError, expand } from './env.js';

/** Links followed before giving up, as the kernel's MAXSYMLINKS. */
const MAX_LINKS = 40;

export class SubPathError extends Error {
  constructor(message: string) { super(message); this.name = 'SubPathError'; }
}

const errno = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

const within = (base: string, p: string): boolean => p === base || p.startsWith(base.endsWith(sep) ? base : base + sep);

const elements = (p: string): string[] => p.split('/').filter((e) => e !== '' && e !== '.');

/** Returns the link-free host path of `subPath` inside the volume at `volumePath`. */
export async function resolveSubPath(volumePath: string, subPath: string): Promise<string> {
  if (isAbsolute(subPath)) throw new SubPathError(`subPath ${JSON.stringify(subPath)} must not be an absolute path`);
  if (subPath.split('/').includes('..')) throw new SubPathError(`subPath ${JSON.stringify(subPath)} must not contain '..'`);
  const root = await realpath(volumePath);
  const rootMode = (await lstat(root)).mode & 0o7777;
  const pending = elements(subPath);
  let cur = root;
  let links = 0;
  while (pending.length) {
    const name = pending.shift()!;
    const next = name === '..' ? dirname(cur) : join(cur, name);
    if (!within(root, next)) throw new SubPathError(`subpath ${JSON.stringify(subPath)} leaves volume path ${root}`);
    if (name === '..') { cur = next; continue; }
    let st;
    try { st = await lstat(next); } catch (err) {
      if (errno(err) !== 'ENOENT') throw err;
      await mkdir(next, { mode: rootMode }).catch((e: unknown) => { if (errno(e) !== 'EEXIST') throw e; }); // EEXIST: made meanwhile, looked at below
      st = await lstat(next);
    }
    if (st.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw new SubPathError(`subpath ${JSON.stringify(subPath)}: too many levels of symbolic links`);
      const target = await readlink(next);
      if (isAbsolute(target)) {
        if (!within(root, target)) throw new SubPathError(`subpath ${JSON.stringify(subPath)} leaves volume path ${root} through a link to ${target}`);
        pending.unshift(...elements(relative(root, target)));
        cur = root;
      } else {
        pending.unshift(...elements(target));
      }
      continue;
    }
    if (!st.isDirectory() && pending.length) throw new SubPathError(`subpath ${JSON.stringify(subPath)}: ${next} is not a directory`);
    cur = next;
  }
  return cur;
}

/**
 * A subPathExpr with the container's variables expanded (kubelet's ExpandContainerVolumeMounts):
 * a reference to a variable that is unset or empty is an error.
 */
export function expandSubPathExpr(expr: string, envs: readonly KeyValue[]): string {
  const vars = new Map(envs.map((e) => [e.key, e.value]));
  const missing = new Set<string>();
  for (const m of expr.matchAll(/\$\$|\$\(([^)]*)\)/g)) if (m[1] !== undefined && !vars.get(m[1])) missing.add(m[1]);
  if (missing.size) throw new ContainerConfigError(`missing value for ${[...missing].sort().join(', ')}`);
  return expand(expr, vars);
}

/** The subPath of a volumeMount, its subPathExpr expanded, checked as upstream's makeMounts does. */
function subPathOf(subPath: string | undefined, subPathExpr: string | undefined, envs: readonly KeyValue[]): string {
  const p = subPathExpr ? expandSubPathExpr(subPathExpr, envs) : subPath ?? '';
  if (p === '') return p;
  if (isAbsolute(p)) throw new ContainerConfigError(`error SubPath \`${p}\` must not be an absolute path`);
  if (p.split('/').includes('..')) throw new ContainerConfigError(`unable to provision SubPath \`${p}\`: must not contain '..'`);
  return p;
}

/**
 * The resolved subPath of every volumeMount of `c` that has one (index → host path); a subPathExpr
 * is expanded with the container's variables `envs`. Any failure is a ContainerConfigError with
 * upstream's message, which keeps the host's paths from the user; the detail is its `cause`, for
 * the agent's log.
 */
export async function prepareSubPaths(c: Container, volumePaths: Readonly<Record<string, string>>, envs: readonly KeyValue[] = []): Promise<Record<number, string>> {
  const out: Record<number, string> = {};
  for (const [i, vm] of (c.volumeMounts ?? []).entries()) {
    const volumePath = volumePaths[vm.name];
    if (volumePath === undefined) continue;
    const subPath = subPathOf(vm.subPath, vm.subPathExpr, envs);
    if (!subPath) continue;
    try {
      out[i] = await resolveSubPath(volumePath, subPath);
    } catch (err) {
      const refused = new ContainerConfigError(`failed to prepare subPath for volumeMount ${JSON.stringify(vm.name)} of container ${JSON.stringify(c.name)}`);
      refused.cause = err;
      throw refused;
    }
  }
  return out;
}

/**
 * Per-sandbox network state on disk (<stateDir>/sandboxes/<id>.json): Docker knows nothing about
 * the CNI IP of a NetworkMode-none container (gotcha G13), so a restarted agent, podSandboxStatus
 * and CNI DEL read it from here. Writes are atomic (temp file + rename); reads are cached.
 */
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CriError } from '../errors.js';
import type { CniPortMapping, CniResult } from '../cni/types.js';

export interface SandboxRecord {
  id: string;
  hostNetwork: boolean;
  /** The pinned netns file (absent for hostNetwork). */
  netnsPath?: string;
  /** The CNI ADD result, kept for CHECK/DEL. */
  cniResult?: CniResult;
  ip?: string;
  portMappings?: CniPortMapping[];
  /** False once CNI DEL ran (stopPodSandbox): the IP is released. */
  networkReady: boolean;
}

export class SandboxStore {
  readonly #dir: string;
  readonly #cache = new Map<string, SandboxRecord>();

  constructor(stateDir: string) {
    this.#dir = join(stateDir, 'sandboxes');
  }

  async get(id: string): Promise<SandboxRecord | undefined> {
    const hit = this.#cache.get(id);
    if (hit !== undefined) return hit;
    let text: string;
    try {
      text = await readFile(this.#path(id), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new CriError('Unknown', `read sandbox state ${id}: ${(e as Error).message}`, { cause: e });
    }
    const rec = JSON.parse(text) as SandboxRecord;
    this.#cache.set(id, rec);
    return rec;
  }

  async put(rec: SandboxRecord): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    const tmp = `${this.#path(rec.id)}.tmp`;
    await writeFile(tmp, JSON.stringify(rec));
    await rename(tmp, this.#path(rec.id));
    this.#cache.set(rec.id, rec);
  }

  /** Idempotent. */
  async delete(id: string): Promise<void> {
    this.#cache.delete(id);
    await unlink(this.#path(id)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw new CriError('Unknown', `delete sandbox state ${id}: ${e.message}`, { cause: e });
    });
  }

  #path(id: string): string {
    return join(this.#dir, `${id}.json`);
  }
}

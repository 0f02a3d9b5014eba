/**
 * Removes local-path volume directories whose PersistentVolume is gone (the deleting half of the
 * built-in provisioner; the PV controller deletes a released PV whose policy is Delete). Every
 * period it lists `<data dir>/storage` and asks the API server for each directory's PV: a 404
 * removes the directory, unless the volume was last seen with policy Retain (a `.<name>.retain`
 * marker beside it, kept up to date while the PV exists), as upstream leaves retained data alone.
 * Entries that are not directories with a valid PV name are never touched; nothing is followed.
 */
import { lstat, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../control/api/object.js';
import { findResource } from '../control/api/resources.js';
import type { ResourceInfo } from '../control/api/resources.js';
import { isApiError } from '../control/api/status.js';
import { isSafeVolumeName, localPathOf } from '../control/api/storage-names.js';
import type { RestClient } from '../control/client/rest-client.js';
import { sleep } from '../control/util/abort.js';

const PVS = findResource('', 'v1', 'persistentvolumes') as ResourceInfo;

export interface LocalPathCleanerOptions { client: RestClient; root: string; log: Logger; periodMs?: number }

export class LocalPathCleaner {
  constructor(private readonly o: LocalPathCleanerOptions) {}

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try { await this.pass(); } catch (err) {
        if (signal.aborted) return;
        this.o.log.warn({ err }, 'Local-path cleanup pass failed; retrying next period');
      }
      await sleep(this.o.periodMs ?? 10_000, signal);
    }
  }

  /** One look at every volume directory. */
  async pass(): Promise<void> {
    const rs = await lstat(this.o.root).catch(() => undefined); // absent: no volume made yet
    if (!rs) return;
    if (!rs.isDirectory()) throw new Error(`local-path root ${this.o.root} is not a directory`);
    const names = await readdir(this.o.root).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[]; // no volume made yet
      throw err;
    });
    for (const name of names) {
      if (!isSafeVolumeName(name)) continue; // markers and anything else
      const dir = localPathOf(this.o.root, name);
      if (dir === undefined) continue;
      const st = await lstat(dir);
      if (!st.isDirectory()) continue;
      const marker = `${this.o.root}/.${name}.retain`;
      let pv: PersistentVolume | undefined;
      try {
        pv = await this.o.client.get<PersistentVolume & KubeObject>(PVS, undefined, name);
      } catch (err) {
        if (!(isApiError(err) && err.code === 404)) { this.o.log.debug({ err, pv: name }, 'Could not look up volume'); continue; }
      }
      if (pv) {
        if (pv.spec?.persistentVolumeReclaimPolicy === 'Retain') await writeFile(marker, '', { flag: 'a' });
        else await unlink(marker).catch(() => undefined); // absent already
        continue;
      }
      if (await lstat(marker).then(() => true, () => false)) continue;
      await rm(dir, { recursive: true, force: true });
      this.o.log.info({ pv: name, dir }, 'Removed local-path volume directory');
    }
  }
}

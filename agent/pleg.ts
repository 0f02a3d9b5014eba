/**
 * Pod lifecycle event generator (kubelet's generic PLEG): relists the runtime every second,
 * diffs container and sandbox states against the last relist and wakes the pods that changed.
 * The runtime's event stream wakes pods at once as well; the relist catches what it missed.
 */
import type { Logger } from 'pino';
import { sleep } from '../control/util/abort.js';
import { isCriError } from '../cri/errors.js';
import type { Runtime } from '../cri/types.js';
import { POD_UID_LABEL } from './labels.js';

export class Pleg {
  private last = new Map<string, string>();
  private owners = new Map<string, string>();
  /** When the last relist succeeded (node Ready reports PLEG health from it). */
  lastRelistOk = 0;

  constructor(private readonly o: { runtime: Runtime; relistMs: number; log: Logger; onPodChange(uid: string): void }) {}

  async run(signal: AbortSignal): Promise<void> {
    void this.watchEvents(signal);
    while (!signal.aborted) {
      try {
        await this.relist();
      } catch (err) {
        this.o.log.warn({ err }, 'Failed to relist the runtime');
      }
      await sleep(this.o.relistMs, signal);
    }
  }

  /** One relist; wakes every pod whose containers or sandboxes changed state. */
  async relist(): Promise<void> {
    const [sandboxes, containers] = await Promise.all([this.o.runtime.listPodSandbox(), this.o.runtime.listContainers()]);
    const now = new Map<string, string>();
    const owners = new Map<string, string>();
    for (const s of sandboxes) { now.set(s.id, s.state); owners.set(s.id, s.labels[POD_UID_LABEL] ?? s.metadata.uid); }
    for (const c of containers) { now.set(c.id, c.state); owners.set(c.id, c.labels[POD_UID_LABEL] ?? ''); }
    const changed = new Set<string>();
    for (const [id, st] of now) if (this.last.get(id) !== st) changed.add(owners.get(id) ?? '');
    for (const id of this.last.keys()) if (!now.has(id)) changed.add(this.owners.get(id) ?? '');
    this.last = now;
    this.owners = owners;
    this.lastRelistOk = Date.now();
    for (const uid of changed) if (uid) this.o.onPodChange(uid);
  }

  private async watchEvents(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        for await (const e of this.o.runtime.events(signal)) {
          const uid = e.podUid ?? this.owners.get(e.containerId);
          if (uid) this.o.onPodChange(uid);
        }
      } catch (err) {
        if (signal.aborted) return;
        if (isCriError(err, 'Unimplemented')) {
          // containerd 1.6 serves no GetContainerEvents: the relist alone finds changes, as with kubelet's generic PLEG
          this.o.log.info('Runtime has no event stream; relisting only');
          return;
        }
        this.o.log.warn({ err }, 'Runtime event stream failed; relist continues');
      }
      await sleep(1000, signal);
    }
  }
}

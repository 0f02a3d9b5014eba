/**
 * Clearing stale UDP conntrack entries (UDP has no connection end, so flows to a removed endpoint
 * would keep being sent there): ExecConntrack runs `conntrack -D`, FakeConntrack records calls.
 */
import { ExecRunner, NetproxyError } from './exec.js';
import type { CommandRunner } from './exec.js';
import type { Conntrack, ConntrackFilter } from './types.js';

export function conntrackArgs(f: ConntrackFilter): string[] {
  const args = ['-D', '-p', f.protocol];
  if (f.origDst) args.push('--orig-dst', f.origDst);
  if (f.origPortDst !== undefined) args.push('--orig-port-dst', String(f.origPortDst));
  if (f.dstNat) args.push('--dst-nat', f.dstNat);
  return args;
}

export class ExecConntrack implements Conntrack {
  private readonly runner: CommandRunner;
  constructor(o: { netns?: string; runner?: CommandRunner } = {}) {
    this.runner = o.runner ?? new ExecRunner({ netns: o.netns });
  }

  async deleteFlows(filter: ConntrackFilter): Promise<void> {
    const r = await this.runner.run('conntrack', conntrackArgs(filter));
    // conntrack exits 1 with "0 flow entries have been deleted" when nothing matched: that is success
    if (r.code === 0 || /0 flow entries/.test(r.stderr)) return;
    throw new NetproxyError('ExecFailed', `conntrack ${conntrackArgs(filter).join(' ')}: ${r.stderr.trim()}`, { stderr: r.stderr });
  }
}

export class FakeConntrack implements Conntrack {
  readonly deleted: ConntrackFilter[] = [];
  async deleteFlows(filter: ConntrackFilter): Promise<void> { this.deleted.push(filter); }
}

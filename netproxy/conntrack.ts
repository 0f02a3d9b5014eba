/**
 * Clearing stale UDP conntrack entries (UDP has no connection end, so flows to a removed endpoint
 * would keep being sent there): ExecConntrack runs `conntrack -D`, FakeConntrack records calls.
 */
import { inNetns } from '../lib/exec/netns.js';
import { ProcessRunner } from '../lib/exec/process-runner.js';
import type { Runner } from '../lib/exec/runner.js';
import { NetproxyError, runTool } from './exec.js';
import type { Conntrack, ConntrackFilter } from './types.js';

export function conntrackArgs(f: ConntrackFilter): string[] {
  const args = ['-D', '-p', f.protocol];
  if (f.origDst) args.push('--orig-dst', f.origDst);
  if (f.origPortDst !== undefined) args.push('--orig-port-dst', String(f.origPortDst));
  if (f.dstNat) args.push('--dst-nat', f.dstNat);
  return args;
}

export class ExecConntrack implements Conntrack {
  private readonly runner: Runner;
  constructor(o: { netns?: string; runner?: Runner } = {}) {
    this.runner = o.runner ?? (o.netns ? inNetns(new ProcessRunner(), o.netns) : new ProcessRunner());
  }

  async deleteFlows(filter: ConntrackFilter): Promise<void> {
    const r = await runTool(this.runner, 'conntrack', conntrackArgs(filter));
    // conntrack exits 1 with "0 flow entries have been deleted" when nothing matched: that is success
    if (r.code === 0 || /0 flow entries/.test(r.stderr)) return;
    throw new NetproxyError('ExecFailed', `conntrack ${conntrackArgs(filter).join(' ')}: ${r.stderr.trim()}`, { stderr: r.stderr });
  }
}

export class FakeConntrack implements Conntrack {
  readonly deleted: ConntrackFilter[] = [];
  async deleteFlows(filter: ConntrackFilter): Promise<void> { this.deleted.push(filter); }
}

/** A Runner whose commands run inside a named network namespace (`ip netns exec NAME cmd …`). */
import type { Runner } from './runner.js';

export function inNetns(runner: Runner, netns: string): Runner {
  return { run: (cmd, args, opts) => runner.run('ip', ['netns', 'exec', netns, cmd, ...args], opts) };
}

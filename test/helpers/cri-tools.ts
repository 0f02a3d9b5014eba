/**
 * The real cri-tools v1.26.1 (crictl, critest) from ../shared/tools/cri-tools, unpacked once into
 * /var/lib/tinykube-test/bin by its install.sh.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './control-plane.js';

const INSTALL = join(ROOT, '..', 'shared', 'tools', 'cri-tools', 'install.sh');
const BIN_DIR = '/var/lib/tinykube-test/bin';

let dir: string | undefined;

/** The directory holding crictl and critest, or undefined when the tools are not on this machine. */
export function criToolsDir(): string | undefined {
  if (dir !== undefined) return dir;
  if (existsSync(INSTALL)) dir = execFileSync('sh', [INSTALL, BIN_DIR], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  else if (existsSync(join(BIN_DIR, 'crictl'))) dir = BIN_DIR;
  return dir;
}

export function crictlBinary(): string | undefined {
  const d = criToolsDir();
  return d === undefined ? undefined : join(d, 'crictl');
}

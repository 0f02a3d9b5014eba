/**
 * `tinykube init [up flags]`: kubeadm init for tinykube. `up` (CA and certificates, the control
 * plane, this host's node, the admin kubeconfig), then a bootstrap token (24 h) and the exact
 * `tinykube join …` line for the other machines.
 */
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { parseFlags, str } from '../flags.js';
import { tokenCommand } from '../token/token-command.js';
import { upCommand } from '../up/up-command.js';
import { UP_BOOLEAN_FLAGS, UP_VALUE_FLAGS } from '../up/up-flags.js';

import type { IoStreams } from '../io-streams.js';
import { DEFAULT_DATA_DIR } from '../defaults.js';

export async function initCommand(argv: readonly string[], io: IoStreams): Promise<number> {
  const p = parseFlags(argv, { values: UP_VALUE_FLAGS, booleans: UP_BOOLEAN_FLAGS });
  const dataDir = str(p, 'data-dir', DEFAULT_DATA_DIR);
  const up = await upCommand(argv, io);
  if (up !== 0) return up;
  const captured = new PassThrough();
  let joinLine = '';
  captured.on('data', (b: Buffer) => { joinLine += b.toString(); });
  const code = await tokenCommand(['create', '--print-join-command', '--description', 'created by tinykube init', '--kubeconfig', join(dataDir, 'admin.kubeconfig')], { ...io, out: captured });
  if (code !== 0) return code;
  // kubeadm's layout: the token on the first line, the CA pin on the next
  const line = joinLine.trim().replace(/ --ca-cert-hash /, ' \\\n\t--ca-cert-hash ');
  io.out.write([
    '', 'Your tinykube control-plane has initialized successfully!', '',
    'Then you can join any number of worker nodes by running the following on each as root:', '',
    line, '',
  ].join('\n'));
  return 0;
}

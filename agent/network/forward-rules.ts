/**
 * Our one way past Docker's FORWARD policy DROP in the host namespace (`tinykube up`, gotcha 1):
 * chain TK-FORWARD-PODS in filter, jumped from FORWARD, in every iptables backend whose FORWARD
 * policy is DROP (a packet must pass the base chains of both nft and legacy). Docker's policy and
 * chains are never changed. Legacy tables are only looked at when the kernel already has them
 * (`/proc/net/ip_tables_names`): listing a missing legacy table would create it.
 */
import type { Runner } from '../../lib/exec/runner.js';
import { backendsWithTable } from '../../netproxy/iptables-backend.js';
import type { IptablesBackend } from '../../netproxy/iptables-backend.js';
import { isExists, isMissing } from './network-tools.js';

export const FORWARD_CHAIN = 'TK-FORWARD-PODS';
const COMMENT = 'tinykube pod traffic';

const bin = (b: IptablesBackend, restore = false): string => `iptables-${b}${restore ? '-restore' : ''}`;
const JUMP = ['FORWARD', '-m', 'comment', '--comment', COMMENT, '-j', FORWARD_CHAIN];

/**
 * PURE. The chain's rules: traffic TO pods is accepted (cross-node pod traffic, NodePort DNATed to
 * a local pod); traffic FROM pods only when it answers or belongs to an accepted flow, so a pod's
 * new connection to an outside address still meets Docker's DROP and nothing leaves the machine.
 */
export function renderForwardChain(clusterCidr: string): string {
  return [
    '*filter',
    `:${FORWARD_CHAIN} - [0:0]`,
    `-A ${FORWARD_CHAIN} -d ${clusterCidr} -m comment --comment "${COMMENT}" -j ACCEPT`,
    `-A ${FORWARD_CHAIN} -s ${clusterCidr} -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "${COMMENT}" -j ACCEPT`,
    'COMMIT',
    '',
  ].join('\n');
}

/** Backends whose filter table exists here (legacy: only if the kernel lists it already). */
const presentBackends = (exec: Runner): Promise<IptablesBackend[]> => backendsWithTable(exec, 'filter');

async function forwardPolicy(exec: Runner, b: IptablesBackend): Promise<string | undefined> {
  const r = await exec.run(bin(b), ['-w', '5', '-t', 'filter', '-S', 'FORWARD']).catch((err: unknown) => {
    if (isMissing(err)) return undefined;
    throw err;
  });
  return /^-P FORWARD (\S+)/m.exec(r?.stdout ?? '')?.[1];
}

/** The backends whose FORWARD policy is DROP. */
export async function dropBackends(exec: Runner): Promise<IptablesBackend[]> {
  const res: IptablesBackend[] = [];
  for (const b of await presentBackends(exec)) if ((await forwardPolicy(exec, b)) === 'DROP') res.push(b);
  return res;
}

/** Installs the chain and one jump in each DROP backend; returns those backends. Idempotent. */
export async function ensureForwardRules(exec: Runner, clusterCidr: string): Promise<IptablesBackend[]> {
  const backends = await dropBackends(exec);
  for (const b of backends) {
    await exec.run(bin(b, true), ['-w', '5', '--noflush'], { input: renderForwardChain(clusterCidr) });
    const has = await exec.run(bin(b), ['-w', '5', '-t', 'filter', '-C', ...JUMP]).then(() => true, (err: unknown) => {
      if (isMissing(err)) return false;
      throw err;
    });
    if (!has) await exec.run(bin(b), ['-w', '5', '-t', 'filter', '-I', ...JUMP.slice(0, 1), '1', ...JUMP.slice(1)]);
  }
  return backends;
}

/** Removes every jump to our chain and the chain itself, in each backend that has it. Idempotent. */
export async function removeForwardRules(exec: Runner): Promise<void> {
  for (const b of await presentBackends(exec)) {
    const exists = await exec.run(bin(b), ['-w', '5', '-t', 'filter', '-S', FORWARD_CHAIN]).then(() => true, (err: unknown) => {
      if (isMissing(err)) return false;
      throw err;
    });
    if (!exists) continue;
    for (let i = 0; i < 10; i++) { // duplicates from a crashed run: delete until none is left
      const deleted = await exec.run(bin(b), ['-w', '5', '-t', 'filter', '-D', ...JUMP]).then(() => true, (err: unknown) => {
        if (isMissing(err)) return false;
        throw err;
      });
      if (!deleted) break;
    }
    await exec.run(bin(b), ['-w', '5', '-t', 'filter', '-F', FORWARD_CHAIN]);
    await exec.run(bin(b), ['-w', '5', '-t', 'filter', '-X', FORWARD_CHAIN]).catch((err: unknown) => {
      if (!isMissing(err) && !isExists(err)) throw err;
    });
  }
}

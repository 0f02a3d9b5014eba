/**
 * `tinykube server`: the control plane alone, in the foreground until SIGINT/SIGTERM. With
 * `--store etcd://h:2379,…`, `--etcd-cafile/--etcd-certfile/--etcd-keyfile` (kube-apiserver's)
 * make every member https with that CA and client certificate; without them the members are http.
 */
import { startControlPlane } from '../../control/control-plane.js';
import type { Logger } from 'pino';
import { UsageError, bool, durationMs, parseFlags, str } from '../flags.js';
import { DEFAULT_DATA_DIR } from '../defaults.js';
import { SERVER_BOOLEAN_FLAGS, SERVER_FLAGS } from './server-flags.js';

export { SERVER_BOOLEAN_FLAGS, SERVER_FLAGS };

/** A positive whole number flag, or undefined when it is not given. */
function countFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive whole number, not ${value}`);
  return n;
}


export async function serverCommand(argv: readonly string[], log: Logger): Promise<number> {
  const p = parseFlags(argv, { values: SERVER_FLAGS, booleans: SERVER_BOOLEAN_FLAGS });
  const leaderElect = str(p, 'leader-elect');
  if (leaderElect !== undefined && leaderElect !== 'true' && leaderElect !== 'false') throw new UsageError(`--leader-elect must be true or false, not ${leaderElect}`);
  const maxWatches = countFlag('max-watches', str(p, 'max-watches'));
  const maxWatchesPerUser = countFlag('max-watches-per-user', str(p, 'max-watches-per-user'));
  const cp = await startControlPlane({
    dataDir: str(p, 'data-dir', DEFAULT_DATA_DIR),
    listen: str(p, 'listen', '0.0.0.0:6443'),
    storeUrl: str(p, 'store'),
    etcdTls: { caFile: str(p, 'etcd-cafile'), certFile: str(p, 'etcd-certfile'), keyFile: str(p, 'etcd-keyfile') },
    serviceCidr: str(p, 'service-cidr', '10.96.0.0/12'),
    clusterCidr: str(p, 'cluster-cidr', '10.244.0.0/16'),
    nodePortRange: str(p, 'node-port-range', '30000-32767'),
    advertiseAddress: str(p, 'advertise-address'),
    controllerOptions: {
      ...(str(p, 'node-monitor-grace-period') ? { nodeMonitorGracePeriodMs: durationMs('node-monitor-grace-period', str(p, 'node-monitor-grace-period')!) } : {}),
      ...(str(p, 'node-monitor-period') ? { nodeMonitorPeriodMs: durationMs('node-monitor-period', str(p, 'node-monitor-period')!) } : {}),
      ...(bool(p, 'legacy-service-account-token-secrets') ? { legacyServiceAccountTokenSecrets: true } : {}),
    },
    ...(leaderElect !== undefined ? { leaderElect: leaderElect === 'true' } : {}),
    watchLimits: { ...(maxWatches ? { total: maxWatches } : {}), ...(maxWatchesPerUser ? { perUser: maxWatchesPerUser } : {}) },
    log,
  });
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log.info('Stopping control plane');
  await cp.stop();
  return 0;
}

/**
 * The agent's container log rotation (agent/logs/): the kubelet's containerLogMaxSize,
 * containerLogMaxFiles and containerLogMonitorInterval as flags, and the manager's loop.
 */
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { ContainerLogManager, DEFAULT_LOG_MONITOR_INTERVAL_MS, DEFAULT_LOG_ROTATE_POLICY } from '../../agent/logs/container-log-manager.js';
import type { LogRotatePolicy } from '../../agent/logs/container-log-manager.js';
import { parseQuantity } from '../../control/api/quantity.js';
import { systemClock } from '../../control/util/clock.js';
import type { Runtime, RuntimeExtrasService } from '../../cri/types.js';
import { durationMs, UsageError } from '../flags.js';

export interface ContainerLogFlags { policy: LogRotatePolicy; monitorIntervalMs: number }

/** --container-log-max-size, -max-files, -monitor-interval, validated as the kubelet validates its configuration. */
export function containerLogFlags(size: string | undefined, files: string | undefined, interval: string | undefined): ContainerLogFlags {
  let maxSizeBytes = DEFAULT_LOG_ROTATE_POLICY.maxSizeBytes;
  if (size !== undefined) {
    try {
      maxSizeBytes = parseQuantity(size);
    } catch {
      throw new UsageError(`invalid --container-log-max-size "${size}": not a quantity (e.g. 10Mi)`);
    }
    if (!Number.isSafeInteger(maxSizeBytes) || maxSizeBytes <= 0) throw new UsageError(`invalid --container-log-max-size "${size}": must be a positive number of bytes`);
  }
  const maxFiles = files === undefined ? DEFAULT_LOG_ROTATE_POLICY.maxFiles : Number(files);
  if (!Number.isSafeInteger(maxFiles) || maxFiles <= 1) throw new UsageError(`invalid --container-log-max-files "${files ?? ''}": must be an integer greater than 1`);
  const monitorIntervalMs = interval === undefined ? DEFAULT_LOG_MONITOR_INTERVAL_MS : durationMs('container-log-monitor-interval', interval);
  if (monitorIntervalMs < 3000) throw new UsageError(`invalid --container-log-monitor-interval "${interval ?? ''}": must be at least 3s`);
  return { policy: { maxSizeBytes, maxFiles }, monitorIntervalMs };
}

/** The kubelet's container log manager, when the runtime can reopen a log (both of ours can). */
export function containerLogManager(o: { flags: ContainerLogFlags; dataDir: string; nodeName: string }, runtime: Runtime, log: Logger): ContainerLogManager | undefined {
  const reopen = (runtime as Partial<RuntimeExtrasService>).reopenContainerLog;
  if (reopen === undefined) return undefined;
  return new ContainerLogManager({
    runtime: { listContainers: (fl) => runtime.listContainers(fl), containerStatus: (id) => runtime.containerStatus(id), reopenContainerLog: (id) => reopen.call(runtime, id) },
    logRoot: join(resolve(o.dataDir), 'logs'), policy: o.flags.policy, monitorIntervalMs: o.flags.monitorIntervalMs,
    clock: systemClock, log: log.child({ component: 'kubelet', node: o.nodeName, subcomponent: 'container-log-manager' }),
  });
}

import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { AGE_COLUMN, NAME_COLUMN, column, wide } from './columns.js';
import { NONE } from './cell-format.js';
import { humanDuration, sinceTimestamp } from './human-duration.js';
import { definePrinter } from './printer.js';
import type { PrintContext, PrintedRow } from './printer.js';
import type { TableRowCondition } from './table.js';

/** upstream printPod: READY, STATUS (the reason kubectl users know), RESTARTS with "(Xm ago)". */

const COLUMNS = [
  NAME_COLUMN,
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  AGE_COLUMN,
  wide('IP', 'string', 'IP address allocated to the pod.'),
  wide('Node', 'string', 'NodeName the pod is bound to.'),
  wide('Nominated Node', 'string', 'Node the scheduler nominated for this pod after preemption.'),
  wide('Readiness Gates', 'string', 'Readiness gates of the pod: conditions true / gates.'),
];

/** node.NodeUnreachablePodReason: set by the node lifecycle controller on pods of a lost node. */
const NODE_LOST = 'NodeLost';

const SUCCEEDED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const FAILED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

/** A restartable init container (sidecar) is one with restartPolicy Always. */
const isSidecar = (c: Container | undefined): boolean => c?.restartPolicy === 'Always';

const conditionTrue = (conds: readonly PodCondition[] | undefined, type: string): boolean =>
  (conds ?? []).some((c) => c.type === type && c.status === 'True');

/** isPodInitializedConditionTrue: the first Initialized condition decides. */
function initializedTrue(conds: readonly PodCondition[] | undefined): boolean {
  const c = (conds ?? []).find((x) => x.type === 'Initialized');
  return c?.status === 'True';
}

/** lastState.terminated.finishedAt in ms, or undefined (Go's zero time). */
function lastTerminatedAt(c: ContainerStatus): number | undefined {
  const at = c.lastState?.terminated?.finishedAt;
  if (!at) return undefined;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? undefined : ms;
}

const later = (a: number | undefined, b: number | undefined): number | undefined =>
  b === undefined ? a : a === undefined || a < b ? b : a;

function podRow(pod: Pod, ctx: PrintContext): PrintedRow {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const phase = status.phase ?? '';
  const initSpecs = spec?.initContainers ?? [];

  let reason = status.reason ? status.reason : phase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  let ready = 0;
  const byName = new Map(initSpecs.map((c) => [c.name, c] as const));
  const total = (spec?.containers?.length ?? 0) + initSpecs.filter(isSidecar).length;

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    if (!c) continue;
    restarts += c.restartCount ?? 0;
    lastRestart = later(lastRestart, lastTerminatedAt(c));
    const sidecar = isSidecar(byName.get(c.name));
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, lastTerminatedAt(c));
    }
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (term) {
      if (term.reason) reason = `Init:${term.reason}`;
      else reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (wait?.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || initializedTrue(status.conditions)) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      if (!c) continue;
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, lastTerminatedAt(c));
      const term = c.state?.terminated;
      const wait = c.state?.waiting;
      if (wait?.reason) reason = wait.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // Some containers completed but one still runs: the pod is not "Completed".
    if (reason === 'Completed' && hasRunning) {
      reason = conditionTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  const deleting = Boolean(pod.metadata?.deletionTimestamp);
  if (deleting && status.reason === NODE_LOST) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) {
    restartsCell = `${restarts} (${humanDuration(ctx.now.getTime() - lastRestart)} ago)`;
  }

  const cells = [
    pod.metadata?.name ?? '',
    `${ready}/${total}`,
    reason,
    restartsCell,
    sinceTimestamp(pod.metadata?.creationTimestamp, ctx.now),
    status.podIPs?.[0]?.ip || status.podIP || NONE,
    spec?.nodeName || NONE,
    status.nominatedNodeName || NONE,
    readinessGates(pod),
  ];
  const conditions = phase === 'Succeeded' ? SUCCEEDED : phase === 'Failed' ? FAILED : undefined;
  return conditions ? { cells, conditions } : { cells };
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return NONE;
  let trueCount = 0;
  for (const g of gates) {
    const c = (pod.status?.conditions ?? []).find((x) => x.type === g.conditionType);
    if (c?.status === 'True') trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

export const podPrinter = definePrinter<Pod>(COLUMNS, podRow);

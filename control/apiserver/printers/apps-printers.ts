import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { AGE_COLUMN, NAME_COLUMN, TEMPLATE_WIDE_COLUMNS, column } from './columns.js';
import { containerCells, formatLabelSelector, formatLabels, selectorString } from './cell-format.js';
import { sinceTimestamp } from './human-duration.js';
import { definePrinter } from './printer.js';
import type { TableCell } from './table.js';

/**
 * upstream printReplicationController, printReplicaSet, printDeployment, printDaemonSet,
 * printStatefulSet and printControllerRevision.
 * spec.replicas falls back to 1, the API default.
 */

const DEFAULT_REPLICAS = 1;

const replicaColumns = [
  NAME_COLUMN,
  column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
  column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
  column('Ready', 'integer', 'The number of ready replicas for this controller.'),
  AGE_COLUMN,
  ...TEMPLATE_WIDE_COLUMNS,
];

export const replicationControllerPrinter = definePrinter<ReplicationController>(replicaColumns, (rc, ctx): TableCell[] => [
  rc.metadata?.name ?? '',
  rc.spec?.replicas ?? DEFAULT_REPLICAS,
  rc.status?.replicas ?? 0,
  rc.status?.readyReplicas ?? 0,
  sinceTimestamp(rc.metadata?.creationTimestamp, ctx.now),
  ...containerCells(rc.spec?.template?.spec?.containers),
  formatLabels(rc.spec?.selector),
]);

export const replicaSetPrinter = definePrinter<ReplicaSet>(replicaColumns, (rs, ctx): TableCell[] => [
  rs.metadata?.name ?? '',
  rs.spec?.replicas ?? DEFAULT_REPLICAS,
  rs.status?.replicas ?? 0,
  rs.status?.readyReplicas ?? 0,
  sinceTimestamp(rs.metadata?.creationTimestamp, ctx.now),
  ...containerCells(rs.spec?.template?.spec?.containers),
  formatLabelSelector(rs.spec?.selector),
]);

export const deploymentPrinter = definePrinter<Deployment>([
  NAME_COLUMN,
  column('Ready', 'string', 'Number of the pod with ready state'),
  column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
  column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
  AGE_COLUMN,
  ...TEMPLATE_WIDE_COLUMNS,
], (d, ctx): TableCell[] => [
  d.metadata?.name ?? '',
  `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? DEFAULT_REPLICAS}`,
  d.status?.updatedReplicas ?? 0,
  d.status?.availableReplicas ?? 0,
  sinceTimestamp(d.metadata?.creationTimestamp, ctx.now),
  ...containerCells(d.spec?.template?.spec?.containers),
  // Deployment prints the bare selector string: "" rather than "<none>" when empty.
  selectorString(d.spec?.selector) ?? '<invalid>',
]);

export const daemonSetPrinter = definePrinter<DaemonSet>([
  NAME_COLUMN,
  column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
  column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
  column('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
  column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod.'),
  column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.'),
  column('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
  AGE_COLUMN,
  ...TEMPLATE_WIDE_COLUMNS,
], (ds, ctx): TableCell[] => [
  ds.metadata?.name ?? '',
  ds.status?.desiredNumberScheduled ?? 0,
  ds.status?.currentNumberScheduled ?? 0,
  ds.status?.numberReady ?? 0,
  ds.status?.updatedNumberScheduled ?? 0,
  ds.status?.numberAvailable ?? 0,
  formatLabels(ds.spec?.template?.spec?.nodeSelector),
  sinceTimestamp(ds.metadata?.creationTimestamp, ctx.now),
  ...containerCells(ds.spec?.template?.spec?.containers),
  formatLabelSelector(ds.spec?.selector),
]);

export const statefulSetPrinter = definePrinter<StatefulSet>([
  NAME_COLUMN,
  column('Ready', 'string', 'Number of the pod with ready state'),
  AGE_COLUMN,
  ...TEMPLATE_WIDE_COLUMNS.slice(0, 2),
], (sts, ctx): TableCell[] => [
  sts.metadata?.name ?? '',
  `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? DEFAULT_REPLICAS}`,
  sinceTimestamp(sts.metadata?.creationTimestamp, ctx.now),
  ...containerCells(sts.spec?.template?.spec?.containers),
]);

/** The controller as `<kind>.<group>/<name>` in lower case (formatResourceName with the kind), else <none>. */
function controllerOf(refs: readonly OwnerReference[] | undefined): string {
  const ref = refs?.find((r) => r.controller === true);
  if (!ref) return '<none>';
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.slice(0, ref.apiVersion.indexOf('/')) : '';
  return `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter = definePrinter<ControllerRevision>([
  NAME_COLUMN,
  column('Controller', 'string', 'Controller of the object'),
  column('Revision', 'string', 'Revision indicates the revision of the state represented by Data.'),
  AGE_COLUMN,
], (cr, ctx): TableCell[] => [
  cr.metadata?.name ?? '',
  controllerOf(cr.metadata?.ownerReferences),
  cr.revision,
  sinceTimestamp(cr.metadata?.creationTimestamp, ctx.now),
]);

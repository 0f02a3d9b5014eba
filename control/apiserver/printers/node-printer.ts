import type { Node } from 'kubernetes-types/core/v1.js';
import { AGE_COLUMN, NAME_COLUMN, column, wide } from './columns.js';
import { NONE } from './cell-format.js';
import { sinceTimestamp } from './human-duration.js';
import { definePrinter } from './printer.js';
import type { PrintContext } from './printer.js';
import type { TableCell } from './table.js';

/** upstream printNode: STATUS from the Ready condition, ROLES from node-role labels. */

const COLUMNS = [
  NAME_COLUMN,
  column('Status', 'string', 'The status of the node'),
  column('Roles', 'string', 'The roles of the node'),
  AGE_COLUMN,
  column('Version', 'string', 'Kubelet Version reported by the node.'),
  wide('Internal-IP', 'string', 'List of addresses reachable to the node.'),
  wide('External-IP', 'string', 'List of addresses reachable to the node.'),
  wide('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release.'),
  wide('Kernel-Version', 'string', 'Kernel Version reported by the node from uname -r.'),
  wide('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API.'),
];

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';
const UNKNOWN = '<unknown>';

/** "Ready" / "NotReady" (any non-True status) / "Unknown" (no Ready condition), then ",SchedulingDisabled". */
export function nodeStatus(node: Node): string {
  const status: string[] = [];
  // Upstream keys conditions by type in a map, so the last Ready condition wins.
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').at(-1);
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** Sorted, de-duplicated roles from `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role=<role>`. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === ROLE_LABEL && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

const address = (node: Node, type: string): string =>
  (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? NONE;

function nodeRow(node: Node, ctx: PrintContext): TableCell[] {
  const info = node.status?.nodeInfo;
  const roles = nodeRoles(node).join(',');
  return [
    node.metadata?.name ?? '',
    nodeStatus(node),
    roles || NONE,
    sinceTimestamp(node.metadata?.creationTimestamp, ctx.now),
    info?.kubeletVersion ?? '',
    address(node, 'InternalIP'),
    address(node, 'ExternalIP'),
    info?.osImage || UNKNOWN,
    info?.kernelVersion || UNKNOWN,
    info?.containerRuntimeVersion || UNKNOWN,
  ];
}

export const nodePrinter = definePrinter<Node>(COLUMNS, nodeRow);

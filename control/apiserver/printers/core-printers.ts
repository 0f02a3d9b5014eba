import type { ConfigMap, Event, Namespace, Secret } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { AGE_COLUMN, NAME_COLUMN, column, wide } from './columns.js';
import { firstNonEmpty } from './cell-format.js';
import { sinceTimestamp } from './human-duration.js';
import { definePrinter } from './printer.js';
import type { PrintContext } from './printer.js';
import type { TableCell } from './table.js';

/** upstream printNamespace, printConfigMap, printSecret, printEvent, printLease, and Name/Age for the rest. */

const nameOf = (o: { metadata?: { name?: string } }): string => o.metadata?.name ?? '';
const ageOf = (o: { metadata?: { creationTimestamp?: string } }, ctx: PrintContext): string =>
  sinceTimestamp(o.metadata?.creationTimestamp, ctx.now);
const count = (m: object | undefined): number => Object.keys(m ?? {}).length;

export const namespacePrinter = definePrinter<Namespace>([
  NAME_COLUMN,
  column('Status', 'string', 'The status of the namespace'),
  AGE_COLUMN,
], (ns, ctx) => [nameOf(ns), ns.status?.phase ?? '', ageOf(ns, ctx)]);

export const configMapPrinter = definePrinter<ConfigMap>([
  NAME_COLUMN,
  column('Data', 'string', 'Data contains the configuration data.'),
  AGE_COLUMN,
], (cm, ctx) => [nameOf(cm), count(cm.data) + count(cm.binaryData), ageOf(cm, ctx)]);

export const secretPrinter = definePrinter<Secret>([
  NAME_COLUMN,
  column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
  column('Data', 'string', 'Data contains the secret data.'),
  AGE_COLUMN,
], (s, ctx) => [nameOf(s), s.type ?? '', count(s.data), ageOf(s, ctx)]);

export const leasePrinter = definePrinter<Lease>([
  NAME_COLUMN,
  column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'),
  AGE_COLUMN,
], (l, ctx) => [nameOf(l), l.spec?.holderIdentity ?? '', ageOf(l, ctx)]);

/** Anything without a dedicated printer (as for CustomResourceDefinitions without printer columns). */
export const defaultPrinter = definePrinter<{ metadata?: { name?: string; creationTimestamp?: string } }>(
  [NAME_COLUMN, AGE_COLUMN],
  (o, ctx) => [nameOf(o), ageOf(o, ctx)],
);

/** formatEventSource: "component, host", falling back to reportingController / reportingInstance. */
function eventSource(ev: Event): string {
  const component = firstNonEmpty(ev.source?.component, ev.reportingComponent);
  const instance = firstNonEmpty(ev.source?.host, ev.reportingInstance);
  return instance ? `${component}, ${instance}` : component;
}

function eventRow(ev: Event, ctx: PrintContext): TableCell[] {
  let first = sinceTimestamp(ev.firstTimestamp, ctx.now);
  if (!ev.firstTimestamp) first = sinceTimestamp(ev.eventTime, ctx.now);
  let last = ev.lastTimestamp ? sinceTimestamp(ev.lastTimestamp, ctx.now) : first;
  let n = ev.count ?? 0;
  if (ev.series) {
    last = sinceTimestamp(ev.series.lastObservedTime, ctx.now);
    n = ev.series.count ?? 0;
  } else if (n === 0) {
    n = 1; // singleton events of the events.k8s.io API carry no count
  }
  const involved = ev.involvedObject;
  const kind = (involved?.kind ?? '').toLowerCase();
  const target = involved?.name ? `${kind}/${involved.name}` : kind;
  return [
    last,
    ev.type ?? '',
    ev.reason ?? '',
    target,
    involved?.fieldPath ?? '',
    eventSource(ev),
    (ev.message ?? '').trim(),
    first,
    n,
    nameOf(ev),
  ];
}

export const eventPrinter = definePrinter<Event>([
  column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column('Reason', 'string', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
  column('Object', 'string', 'The object that this event is about.'),
  wide('Subobject', 'string', 'The field of the involved object the event is about, e.g. spec.containers{name}.'),
  wide('Source', 'string', 'The component reporting this event.'),
  column('Message', 'string', 'A human-readable description of the status of this operation.'),
  wide('First Seen', 'string', 'The time at which the event was first recorded.'),
  wide('Count', 'string', 'The number of times this event has occurred.'),
  column('Name', 'string', 'Name of the event.', { priority: 1, format: 'name' }),
], eventRow);

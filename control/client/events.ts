/**
 * EventRecorder: core/v1 Events about an object, as components record them (`Scheduled`,
 * `FailedScheduling`, `SuccessfulCreate`, …). Repeats of the same reason and message within ten
 * minutes bump count and lastTimestamp on the same Event (upstream's aggregation, simplified).
 * Failures are logged and dropped: events are best effort.
 */
import type { Logger } from 'pino';
import type { Event } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { findResource } from '../api/resources.js';
import { rfc3339, systemClock } from '../util/clock.js';
import type { Clock } from '../util/clock.js';
import { randomBytes } from 'node:crypto';
import type { RestClient } from './rest-client.js';

const EVENTS = findResource('', 'v1', 'events')!;
const REPEAT_WINDOW_MS = 10 * 60 * 1000;

export type EventType = 'Normal' | 'Warning';

export class EventRecorder {
  private readonly recent = new Map<string, { name: string; namespace: string; count: number; at: number }>();
  private readonly clock: Clock;

  constructor(private readonly o: { client: RestClient; component: string; host?: string; log: Logger; clock?: Clock }) {
    this.clock = o.clock ?? systemClock;
  }

  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    void this.record(obj, type, reason, message).catch((err: unknown) => this.o.log.debug({ err, reason }, 'Failed to record event'));
  }

  private async record(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const md = obj.metadata ?? {};
    const namespace = md.namespace || 'default';
    const now = this.clock.now();
    const key = `${md.uid}|${type}|${reason}|${message}`;
    const seen = this.recent.get(key);
    if (seen && now.getTime() - seen.at < REPEAT_WINDOW_MS) {
      seen.count++;
      seen.at = now.getTime();
      await this.o.client.patch(EVENTS, seen.namespace, seen.name, 'merge', { count: seen.count, lastTimestamp: rfc3339(now) });
      return;
    }
    const name = `${md.name ?? 'unknown'}.${randomBytes(8).toString('hex')}`;
    const ev: Event = {
      apiVersion: 'v1', kind: 'Event', metadata: { name, namespace },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: md.name, namespace: md.namespace, uid: md.uid, resourceVersion: md.resourceVersion },
      reason, message, type, count: 1, firstTimestamp: rfc3339(now), lastTimestamp: rfc3339(now),
      source: { component: this.o.component, ...(this.o.host ? { host: this.o.host } : {}) },
      reportingComponent: this.o.component, reportingInstance: this.o.host ?? '',
    };
    this.recent.set(key, { name, namespace, count: 1, at: now.getTime() });
    if (this.recent.size > 4096) this.recent.delete(this.recent.keys().next().value as string);
    await this.o.client.create(EVENTS, namespace, ev as unknown as KubeObject);
  }
}

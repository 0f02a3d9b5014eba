/** What every controller (and the scheduler) is built from. */
import type { Logger } from 'pino';
import type { EventRecorder } from '../client/events.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { RestClient } from '../client/rest-client.js';
import type { Clock } from '../util/clock.js';
import type { ControllerOptions } from './controller-options.js';

export interface ControllerContext {
  client: RestClient;
  informers: InformerFactory;
  log: Logger;
  clock: Clock;
  /** An event recorder for a component name (e.g. `replicaset-controller`, `default-scheduler`). */
  recorder(component: string): EventRecorder;
  options: ControllerOptions;
}

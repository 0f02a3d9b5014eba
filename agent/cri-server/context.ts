/**
 * What every CRI server handler works with: the runtime contract (plus its optional
 * capabilities), the streaming server that hands out exec/attach/port-forward URLs, the node's
 * network readiness and a logger.
 */
import type { Logger } from 'pino';
import { CriError } from '../../cri/errors.js';
import type { ContainerStatsService, Runtime, RuntimeExtrasService } from '../../cri/types.js';
import type { StreamingServer } from './streaming-server.js';

/** The backend a CRI server serves: the contract, with stats and extras when the backend has them. */
export type ServedRuntime = Runtime & Partial<ContainerStatsService> & Partial<RuntimeExtrasService>;

/** runtime/v1's NetworkReady condition, as the node knows it. */
export interface NetworkStatus { ready: boolean; reason?: string; message?: string }

export interface HandlerContext {
  runtime: ServedRuntime;
  streaming: Pick<StreamingServer, 'url'>;
  networkStatus: () => NetworkStatus;
  log: Logger;
  /** ns since the epoch (tests inject it). */
  nowNs: () => number;
}

/** The id a request must carry; a CriError InvalidArgument naming the field when it is empty. */
export function requireId(value: string | undefined | null, field: string): string {
  if (value === undefined || value === null || value === '') throw new CriError('InvalidArgument', `missing required ${field}`);
  return value;
}

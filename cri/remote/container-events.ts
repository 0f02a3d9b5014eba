/**
 * events() of a remote runtime: GetContainerEvents when the runtime serves it; when it answers
 * UNIMPLEMENTED (containerd 1.6) or the stream breaks, relisting every interval (relist-events.ts),
 * or, with interval 0, failing with that error (the caller relists on its own).
 */
import type { Logger } from 'pino';
import { containerEventFromWire } from '../grpc/convert.js';
import { criErrorFromGrpc } from '../grpc/status-codes.js';
import type { WContainerEvent } from '../grpc/wire.js';
import type { Container, RuntimeEvent } from '../types.js';
import type { CriClient } from './cri-client.js';
import { relistEvents } from './relist-events.js';

export interface RemoteEventsOptions {
  client: CriClient;
  list(): Promise<Container[]>;
  /** 0: no relisting; the stream's end or failure is the caller's. */
  intervalMs: number;
  log?: Logger;
}

export async function* remoteEvents(o: RemoteEventsOptions, signal: AbortSignal): AsyncGenerator<RuntimeEvent> {
  if (signal.aborted) return;
  const stream = o.client.serverStream<WContainerEvent>('runtime', 'GetContainerEvents', {}, signal);
  try {
    for await (const msg of stream as AsyncIterable<WContainerEvent>) yield containerEventFromWire(msg);
    if (signal.aborted) return;
    if (o.intervalMs <= 0) return;
    o.log?.warn('Container event stream ended; relisting instead');
  } catch (err) {
    if (signal.aborted) return;
    const e = criErrorFromGrpc(err, 'get container events');
    if (o.intervalMs <= 0) throw e;
    if (e.kind === 'Unimplemented') o.log?.debug('Runtime has no GetContainerEvents; relisting');
    else o.log?.warn({ err: e }, 'Container event stream failed; relisting instead');
  } finally {
    stream.cancel();
  }
  yield* relistEvents({ list: o.list, intervalMs: o.intervalMs, onError: (err) => o.log?.debug({ err }, 'Relist failed') }, signal);
}

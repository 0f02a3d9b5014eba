/**
 * grpc-js handlers from promise-returning functions, and the one place the CRI server turns an
 * error into a gRPC status: a CriError keeps its kind's code (cri/grpc/status-codes.ts), a full
 * token cache is RESOURCE_EXHAUSTED, anything else is UNKNOWN and logged once (it is a bug or an
 * unexpected failure; the client sees only its message).
 */
import { status as Code, Metadata } from '@grpc/grpc-js';
import type { ServerErrorResponse, ServerUnaryCall, UntypedHandleCall, sendUnaryData } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { CriError } from '../../cri/errors.js';
import { grpcStatusFromError } from '../../cri/grpc/status-codes.js';
import { TooManyInFlightError } from './stream-tokens.js';

export type Handler<Req, Res> = (request: Req, signal: AbortSignal) => Promise<Res>;

export function statusOf(err: unknown, method: string, log: Logger): ServerErrorResponse {
  if (err instanceof TooManyInFlightError) {
    return Object.assign(new Error(err.message), { code: Code.RESOURCE_EXHAUSTED, details: err.message, metadata: new Metadata() });
  }
  if (err instanceof CriError) log.debug({ method, err }, 'CRI call failed');
  else log.error({ method, err }, 'CRI call failed unexpectedly');
  const s = grpcStatusFromError(err);
  return Object.assign(new Error(s.details), { ...s });
}

/** A unary handler; the signal aborts when the client cancels or its deadline passes. */
export function unary<Req, Res>(method: string, log: Logger, handler: Handler<Req, Res>): UntypedHandleCall {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    const ac = new AbortController();
    call.once('cancelled', () => ac.abort());
    let request: Req = call.request;
    request ??= {} as Req;
    handler(request, ac.signal).then((res) => callback(null, res), (err: unknown) => callback(statusOf(err, method, log)));
  };
}

/** A call the runtime behind this server cannot serve: UNIMPLEMENTED with the reason. */
export function unimplemented(method: string, why: string): UntypedHandleCall {
  const message = `${method} is not implemented: ${why}`;
  return (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
    callback(Object.assign(new Error(message), { code: Code.UNIMPLEMENTED, details: message, metadata: new Metadata() }));
  };
}

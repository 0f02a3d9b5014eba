/** The one place that writes a Status body for a failed request. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, badRequest, internalError, pathNotFound, tooLarge, unsupportedMediaType } from '../api/status.js';
import { bodyStillArriving, discardRestOfBody } from './http/refused-body.js';

export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  const fe = err as Partial<FastifyError>;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) return tooLarge();
  // a Content-Type header that does not parse (empty, stray `;`): upstream's 415 for a media type it cannot read
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupportedMediaType();
  if (typeof fe.statusCode === 'number' && fe.statusCode === 400) return badRequest(fe.message ?? 'bad request');
  return undefined;
}

export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  let api = toApiError(err);
  if (!api) {
    req.log.error({ err }, 'Request failed'); // fastify's request logger carries reqId
    api = internalError();
  }
  // As upstream's error writer: a Status that says when to retry says it in Retry-After too.
  const retryAfter = api.status.details?.retryAfterSeconds;
  if (retryAfter !== undefined && retryAfter > 0) reply.header('Retry-After', String(retryAfter));
  // a body refused unread (413): keep the connection while the rest arrives, so the client reads this answer
  if (bodyStillArriving(req.raw)) {
    reply.removeHeader('connection');
    discardRestOfBody(req.raw);
  }
  return reply.code(api.code).header('Content-Type', 'application/json').send(Buffer.from(JSON.stringify(api.status)));
}

export function notFoundHandler(_req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const api = pathNotFound();
  return reply.code(404).header('Content-Type', 'application/json').send(JSON.stringify(api.status));
}

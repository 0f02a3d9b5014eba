/**
 * A request refused before its body was read (413 on Content-Length, or past the limit while
 * reading): the client may still be writing. Closing the socket under it makes the kernel answer
 * the rest with a reset, which throws away the 413 before the client reads it (curl and Node see
 * only EPIPE). Instead the rest is read and dropped, as Node does for a keep-alive request whose
 * body the handler left unread, up to a bound past which the connection is cut.
 */
import type { IncomingMessage } from 'node:http';

/** How much of a refused body is read and dropped before the connection is cut. */
export const MAX_DISCARDED_BODY_BYTES = 16 * 1024 * 1024;

/** True when the request's body is still arriving. */
export const bodyStillArriving = (req: IncomingMessage): boolean => !req.complete && !req.destroyed;

/** Read and drop the rest of the body; cut the connection once more than `max` bytes came. */
export function discardRestOfBody(req: IncomingMessage, max = MAX_DISCARDED_BODY_BYTES): void {
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > max) req.socket.destroy();
  });
  req.resume();
}

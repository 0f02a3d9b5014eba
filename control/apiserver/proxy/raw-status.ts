/** A refused upgrade request: a whole HTTP/1.1 answer with a Status body, written on the raw socket. */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiError } from '../../api/status.js';

export function writeRawStatus(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(err.status);
  socket.end(
    `HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? 'Error'}\r\n`
    + `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

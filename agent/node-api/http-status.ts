/**
 * Refusals as Status JSON, on an HTTP response or on a raw (upgrade) socket. The bodies come from
 * control/api/status.ts's factories, like the API server's.
 */
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiError } from '../../control/api/status.js';

export function writeStatus(res: ServerResponse, refusal: ApiError): void {
  if (res.headersSent) { res.end(); return; }
  const body = JSON.stringify(refusal.status);
  res.writeHead(refusal.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** A whole HTTP/1.1 answer written on a socket the HTTP server handed over (upgrade requests). */
export function writeRawStatus(socket: Duplex, refusal: ApiError): void {
  const body = JSON.stringify(refusal.status);
  socket.end(
    `HTTP/1.1 ${refusal.code} ${STATUS_CODES[refusal.code] ?? 'Error'}\r\n`
    + `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Refusals as Status JSON, on an HTTP response or on a raw (upgrade) socket. */
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Status } from 'kubernetes-types/meta/v1.js';

export type FailureStatus = Status & { code: number };

export function failure(code: number, reason: string, message: string): FailureStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export function writeStatus(res: ServerResponse, status: FailureStatus): void {
  if (res.headersSent) { res.end(); return; }
  const body = JSON.stringify(status);
  res.writeHead(status.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** A whole HTTP/1.1 answer written on a socket the HTTP server handed over (upgrade requests). */
export function writeRawStatus(socket: Duplex, status: FailureStatus): void {
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? 'Error'}\r\n`
    + `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

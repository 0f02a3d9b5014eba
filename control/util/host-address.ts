/** This host's address as other machines see it: the first non-internal IPv4 address, else 127.0.0.1. */
import { networkInterfaces } from 'node:os';

export function defaultHostAddress(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** Serial numbers and validity windows shared by every certificate we sign. */
import { randomBytes } from 'node:crypto';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Backdate notBefore so small clock skew between hosts does not reject fresh certs. */
const BACKDATE_MS = 5 * 60 * 1000;

/** A positive 128-bit serial number as hex, with no leading zero byte (valid minimal DER). */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 1) & 0x7f || 0x01;
  return b.toString('hex');
}

export function validity(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  if (!(days > 0)) throw new RangeError(`validity days must be positive, got ${days}`);
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + days * DAY_MS) };
}

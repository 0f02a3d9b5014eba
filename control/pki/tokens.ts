/** Random bearer tokens: the admin token and kubeadm-format bootstrap tokens. */
import { randomBytes } from 'node:crypto';

/** kubeadm bootstrap token: 6-char id "." 16-char secret, both [a-z0-9]. */
export const BOOTSTRAP_TOKEN_PATTERN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Largest multiple of 36 below 256; bytes at or above it are rejected to avoid modulo bias. */
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

function randomString(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < UNBIASED_LIMIT) out += ALPHABET[b % ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A 43-character URL-safe token carrying 256 random bits (base64url of 32 bytes). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A bootstrap token such as "abcdef.0123456789abcdef". */
export function generateBootstrapToken(): string {
  return `${randomString(6)}.${randomString(16)}`;
}

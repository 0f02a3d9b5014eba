/**
 * Hashing for controller-generated names and labels (PURE): FNV-32a (upstream hash/fnv, as used
 * by ComputeHash) and rand.SafeEncodeString, which maps each character into an alphabet without
 * vowels or look-alike characters.
 */

export const FNV32A_OFFSET = 0x811c9dc5;
const FNV32A_PRIME = 0x01000193;

/** Upstream rand.SafeEncodeString's alphabet. */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-32a over `data` (strings as UTF-8), continuing from `h` to hash in several steps. */
export function fnv32a(data: string | Uint8Array, h = FNV32A_OFFSET): number {
  for (const byte of typeof data === 'string' ? Buffer.from(data, 'utf8') : data) {
    h ^= byte;
    h = Math.imul(h, FNV32A_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** Each character of `s` mapped into `alphabet` by its code modulo the alphabet's length. */
export function safeEncode(s: string, alphabet: string = SAFE_ALPHABET): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += alphabet[s.charCodeAt(i) % alphabet.length];
  return out;
}

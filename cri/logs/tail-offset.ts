/**
 * Where the last N lines of a file start, found by reading backwards in chunks (a big log is
 * never read whole). A last line without its newline (still being written) is not counted: it
 * comes after the N complete ones.
 */
import type { FileHandle } from 'node:fs/promises';

export const TAIL_CHUNK_BYTES = 64 * 1024;

/** The byte offset at which the last `lines` complete lines of the first `size` bytes begin. */
export async function tailOffset(fh: FileHandle, size: number, lines: number, chunkBytes = TAIL_CHUNK_BYTES): Promise<number> {
  // The start is just past the (lines+1)-th newline from the end; the newline ending the last
  // complete line counts as the first.
  let want = Math.max(0, Math.floor(lines)) + 1;
  const buf = Buffer.alloc(chunkBytes);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunkBytes);
    const { bytesRead } = await fh.read(buf, 0, end - start, start);
    for (let i = bytesRead - 1; i >= 0; i--) {
      if (buf[i] === 0x0a && --want === 0) return start + i + 1;
    }
    end = start;
  }
  return 0;
}

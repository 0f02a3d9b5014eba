/**
 * Gzips one rotated container log file to `<file>.gz` as the kubelet does: written to
 * `<file>.tmp` first (a crash leaves only a .tmp, which the next round removes), renamed into
 * place, then the uncompressed file is removed. Neither the source nor the temporary file is
 * opened through a symlink (O_NOFOLLOW); the temporary file must not exist (O_EXCL).
 */
import { constants } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { COMPRESS_SUFFIX, TMP_SUFFIX } from './rotation-plan.js';

export async function compressLog(file: string): Promise<void> {
  const gz = `${file}${COMPRESS_SUFFIX}`;
  const tmp = `${file}${TMP_SUFFIX}`;
  const src = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  let dst;
  try {
    dst = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o640);
  } catch (err) {
    await src.close();
    throw err;
  }
  try {
    // the streams close their handles when they end (or fail)
    await pipeline(src.createReadStream(), createGzip(), dst.createWriteStream());
  } catch (err) {
    await unlink(tmp).catch(() => undefined); // best effort: the next round removes a .tmp anyway
    throw err;
  }
  await rename(tmp, gz);
  await unlink(file);
}

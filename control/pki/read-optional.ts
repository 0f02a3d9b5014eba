/** Reads a PKI file that may not exist yet (first start): undefined when missing, a PkiError otherwise. */
import { readFile } from 'node:fs/promises';
import { PkiError } from './types.js';

export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PkiError('Io', `read ${path}`, { cause: err });
  }
}

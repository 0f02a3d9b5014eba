/** Writes a small file (mode 0644) only when its content differs, so a sync that changes nothing writes nothing. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeIfChanged(path: string, content: string): Promise<void> {
  const cur = await readFile(path, 'utf8').catch(() => undefined); // absent: written below
  if (cur === content) return;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content, { mode: 0o644 });
}


/**
 * The memory a group of processes uses together. Summing VmRSS counts the pages they share twice:
 * the node executable (~40 MiB of text, mapped by every node process) and its libraries. Here
 * anonymous pages are summed (unrelated processes share none) and each file-backed mapping
 * (file + offset + size) counts once, with the most pages any of the processes has resident.
 */
import { readFileSync } from 'node:fs';

export interface Footprint {
  /** Σ VmRSS, MiB: shared pages counted once per process. */
  sumRssMiB: number;
  /** Anonymous pages summed + shared file mappings once, MiB. */
  combinedMiB: number;
  /** Of which file-backed (executable, libraries, mapped files), MiB. */
  fileMiB: number;
}

interface Mapping { file?: string; key: string; rssKb: number }

/** PURE. The mappings of one /proc/<pid>/smaps text. */
export function parseSmaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  let cur: Mapping | undefined;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ ([0-9a-f]+) \S+ (\d+)\s*(.*)$/.exec(line);
    if (head) {
      const [, start = '', end = '', offset = '', inode = '0', name = ''] = head;
      const file = inode !== '0' && name.startsWith('/') ? name : undefined;
      const size = parseInt(end, 16) - parseInt(start, 16);
      cur = { ...(file ? { file } : {}), key: file ? `${file}@${offset}+${size}` : `${start}`, rssKb: 0 };
      out.push(cur);
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && cur) cur.rssKb = Number(rss[1]);
  }
  return out;
}

/** PURE. The footprint of processes given their smaps texts. */
export function footprintOf(smaps: readonly string[]): Footprint {
  let sumKb = 0;
  let anonKb = 0;
  const files = new Map<string, number>();
  for (const text of smaps) {
    for (const m of parseSmaps(text)) {
      sumKb += m.rssKb;
      if (m.file === undefined) anonKb += m.rssKb;
      else files.set(m.key, Math.max(files.get(m.key) ?? 0, m.rssKb));
    }
  }
  const fileKb = [...files.values()].reduce((a, b) => a + b, 0);
  return { sumRssMiB: sumKb / 1024, combinedMiB: (anonKb + fileKb) / 1024, fileMiB: fileKb / 1024 };
}

/** The footprint of live processes (undefined when one is gone or /proc is unavailable). */
export function footprint(pids: ReadonlyArray<number | undefined>): Footprint | undefined {
  try {
    return footprintOf(pids.map((pid) => {
      if (pid === undefined) throw new Error('no pid');
      return readFileSync(`/proc/${pid}/smaps`, 'utf8');
    }));
  } catch {
    return undefined;
  }
}

/** Text formatting for benchmark figures: rates, ratios to the baseline, and target verdicts. */
import { readFileSync } from 'node:fs';

export function fmtRate(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtMs(n: number): string {
  return n < 10 ? n.toFixed(2) : n.toFixed(1);
}

export function verdict(ok: boolean): string {
  return ok ? 'meets target' : 'below target';
}

/** e.g. "creates/s   2,400  (0.21× bare https POST)  target ≥ 1,000/s: meets target". */
export function rateLine(label: string, rate: number, baseline: number, baselineLabel: string, target: number, note = ''): string {
  const ratio = baseline > 0 ? (rate / baseline).toFixed(2) : 'n/a';
  return `${label.padEnd(12)} ${fmtRate(rate).padStart(7)}  (${ratio}× ${baselineLabel})  target ≥ ${fmtRate(target)}/s: ${verdict(rate >= target)}${note}`;
}

/** VmRSS of a live process in MiB (undefined when /proc is unavailable or the process is gone). */
export function rssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** VmHWM (the peak resident set) of a live process in MiB (undefined when unavailable). */
export function peakRssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds a live process has used so far (from /proc/<pid>/stat; undefined when unavailable). */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return undefined;
  }
}

/** PURE. Busy and total CPU seconds of the machine from the first line of /proc/stat (USER_HZ = 100). */
export function parseProcStat(text: string): { busy: number; total: number } {
  const f = (text.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const at = (i: number): number => (Number.isFinite(f[i]) ? f[i] ?? 0 : 0);
  const total = f.slice(0, 8).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0); // user … steal
  return { busy: (total - at(3) - at(4)) / 100, total: total / 100 }; // less idle and iowait
}

/** Busy CPU seconds of the whole machine so far (every process, the kernel's work for them included). */
export function machineBusySeconds(): number {
  try { return parseProcStat(readFileSync('/proc/stat', 'utf8')).busy; } catch { return NaN; }
}

export function fmtMiB(n: number | undefined): string {
  return n === undefined ? 'n/a' : `${n.toFixed(0)} MiB`;
}

/** The exit code of a benchmark: 1 with a listing when something failed functionally (timing never fails). */
export function exitCodeFor(failures: readonly string[], log: (s: string) => void): number {
  if (failures.length === 0) return 0;
  log(`FUNCTIONAL FAILURES (${failures.length}):`);
  for (const f of failures.slice(0, 20)) log(`  ${f}`);
  return 1;
}

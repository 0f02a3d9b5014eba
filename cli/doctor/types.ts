/** What doctor's checks return and the machine they look at (the Probe; a fake in tests). */
import type { Runner } from '../../lib/exec/runner.js';

/** What a CRI runtime says about itself (Version, Status). */
export interface CriAnswer { runtimeName: string; runtimeVersion: string; apiVersion: string; conditions: Record<string, boolean> }

export type Verdict = 'ok' | 'warn' | 'fail';
export interface CheckResult { name: string; verdict: Verdict; detail: string }

/** The machine, as the checks see it (the fake in tests answers from tables). */
export interface Probe {
  isRoot(): boolean;
  /** File contents, undefined when missing or unreadable. */
  read(path: string): Promise<string | undefined>;
  exists(path: string): Promise<boolean>;
  /** Runs commands (a FakeRunner in tests). */
  exec: Runner;
  /** Docker's version through its socket, or the error message. */
  docker(socket: string): Promise<{ version: string; apiVersion: string } | { error: string }>;
  /** A CRI v1 endpoint's Version and Status conditions over its unix socket, or the error message. */
  cri(socket: string): Promise<CriAnswer | { error: string }>;
  /** Whether a TCP port can be bound on all addresses. */
  portFree(port: number): Promise<boolean>;
  /** The kernel's build configuration (/proc/config.gz or /boot/config-<release>), if published. */
  kernelConfig(): Promise<string | undefined>;
}

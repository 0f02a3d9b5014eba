/** What every crictl command receives: the runtime, streams, a clock, a sleep, a cancel signal. */
import type { IoStreams } from '../io-streams.js';
import type { CrictlRuntime } from './runtime-target.js';

export interface CrictlContext {
  runtime: CrictlRuntime;
  io: IoStreams;
  /** Milliseconds since the epoch (tests pin it). */
  now: () => number;
  /** Waits `ms` (stats' CPU sample); tests make it instant. */
  sleep: (ms: number) => Promise<void>;
  /** Aborted on SIGINT/SIGTERM: ends `logs -f`. */
  signal: AbortSignal;
}

/** A command: parses its own flags, writes its output, returns the exit code. */
export type Command = (ctx: CrictlContext, argv: readonly string[]) => Promise<number>;

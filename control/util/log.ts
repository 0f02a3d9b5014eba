/** The one pino root logger per process; components take children of it. */
import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

export interface LogOptions { level?: string; name?: string; destination?: NodeJS.WritableStream }

export function createLogger(opts: LogOptions = {}): Logger {
  const options = {
    level: opts.level ?? process.env['TINYKUBE_LOG_LEVEL'] ?? 'info',
    name: opts.name,
    redact: ['*.auth', '*.password', '*.token', 'req.headers.authorization'],
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** A logger that drops everything: for unit tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

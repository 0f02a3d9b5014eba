/** One record of a container log file, whichever format it came from (CRI or Docker's json-file). */
import type { LogLine } from '../types.js';

export type LogStream = LogLine['stream'];

/** One record of the file, its text without the newline. */
export interface CriLogRecord { time: string; stream: LogStream; partial: boolean; text: Buffer }

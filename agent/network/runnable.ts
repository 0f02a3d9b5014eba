/** Something that runs until its signal aborts (the shape control/controllers uses too). */
export interface Runnable { run(signal: AbortSignal): Promise<void> }

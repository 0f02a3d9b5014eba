/** What the controller manager starts, and how each one is built from the shared context. */
import type { ControllerContext } from './controller-context.js';

/** A controller or loop the manager starts: runs until the signal aborts. */
export interface Runnable { run(signal: AbortSignal): Promise<void> }

/** A named way to build one Runnable (upstream's controller initializers, name → init func). */
export type RunnableFactory = { name: string; create(ctx: ControllerContext): Runnable };

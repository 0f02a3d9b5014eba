/** What the controller manager starts, and how each one is built from the shared context. */
import type { ControllerContext } from './controller-context.js';

/** A controller or loop the manager starts: runs until the signal aborts. */
export interface Runnable { run(signal: AbortSignal): Promise<void> }

/**
 * A named way to build one Runnable (upstream's controller initializers, name → init func).
 * The manager hands `create` a logger already bound to `{ component: 'controller', controller: name }`,
 * or to `{ component }` alone when one is given (the scheduler is no controller): the runnable
 * logs through it and binds neither key again.
 */
export type RunnableFactory = { name: string; component?: string; create(ctx: ControllerContext): Runnable };

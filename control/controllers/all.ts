/** Every controller the controller manager runs, and the scheduler, in start order. */
import type { RunnableFactory } from './manager.js';

export const CONTROLLERS: readonly RunnableFactory[] = [];

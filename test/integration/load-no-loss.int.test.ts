/**
 * Issue 13, the load run at a small size: the real `tinykube server` with its scheduler and
 * controllers, three fake nodes, Deployments of 30 pods, watchers and concurrent writers at once
 * (test/bench/load-scenario.ts, the benchmark's own run). Asserts the no-loss properties: every
 * acknowledged write is readable afterwards, every watcher saw every event of its resources in
 * order with no gap, every pod is bound and Running. Timing is not asserted (the benchmark prints it).
 */
import { describe, expect, it } from 'vitest';
import { runLoadScenario } from '../bench/load-scenario.js';

describe('load run, small: nothing lost', () => {
  it('30 pods on 3 fake nodes, 6 watchers, 4 writers: all writes readable, all watch events in order, all pods bound', async () => {
    const { failures, figures } = await runLoadScenario({
      pods: 30, deployments: 2, watchers: 6, podWatchers: 2, writers: 4, writePauseMs: 20, baselineWrites: 5, podsTimeoutMs: 90_000,
    });
    expect(failures).toEqual([]);
    expect(Object.values(figures.podsPerNode).reduce((a, b) => a + b, 0)).toBe(30);
    expect(Object.keys(figures.podsPerNode)).toHaveLength(3);
    expect(figures.idleWritesMs).toHaveLength(4 * 5);
    expect(figures.loadWritesMs.length).toBeGreaterThan(0);
    // every pod's ADDED, binding and status at least, on each of the two pod watchers
    expect(figures.watchEvents).toBeGreaterThanOrEqual(2 * 30 * 3);
  }, 180_000);
});

/** A small seeded random source (mulberry32), so a fuzz run is reproduced from its seed alone. */

export class Rng {
  private state: number;

  constructor(seed: number) { this.state = seed >>> 0; }

  /** A derived source for case `n`: the same seed and index always give the same draws. */
  static forCase(seed: number, n: number): Rng { return new Rng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n + 1, 0xc2b2ae35)); }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [0, n). */
  int(n: number): number { return Math.floor(this.next() * n); }

  chance(p: number): boolean { return this.next() < p; }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** One of `choices` by weight. */
  weighted<T>(choices: ReadonlyArray<readonly [number, T]>): T {
    const total = choices.reduce((s, [w]) => s + w, 0);
    let x = this.next() * total;
    for (const [w, v] of choices) { if ((x -= w) < 0) return v; }
    return (choices[choices.length - 1] as readonly [number, T])[1];
  }
}

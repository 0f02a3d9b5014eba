import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, MAX_YAML_DEPTH, jsonDepthExceeded, yamlDepthExceeded } from './nesting-depth.js';

const nestedJson = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

describe('jsonDepthExceeded', () => {
  it('accepts the limit and refuses one level more, naming the bracket', () => {
    expect(jsonDepthExceeded(nestedJson(MAX_JSON_DEPTH))).toBeUndefined();
    expect(jsonDepthExceeded(nestedJson(MAX_JSON_DEPTH + 1))).toBe('[');
    expect(jsonDepthExceeded(`{"a":${'{"a":'.repeat(MAX_JSON_DEPTH)}1${'}'.repeat(MAX_JSON_DEPTH + 1)}`)).toBe('{');
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeded(JSON.stringify({ a: '['.repeat(20), b: '"\\[[[' }), 3)).toBeUndefined();
    expect(jsonDepthExceeded('[[["\\"", [[', 4)).toBe('[');
  });
});

describe('yamlDepthExceeded', () => {
  const block = (depth: number) => Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}a:`).join('\n') + ' x\n';
  it.each([
    ['flow sequences', (d: number) => nestedJson(d)],
    ['flow mappings', (d: number) => `${'{a: '.repeat(d)}1${'}'.repeat(d)}`],
    ['block mappings', block],
    ['compact sequences', (d: number) => `${'- '.repeat(d)}x\n`],
    ['flow inside block', (d: number) => `${block(d / 2)}${'  '.repeat(d / 2)}b: ${nestedJson(d / 2)}\n`],
  ])('%s: accepts the limit, refuses beyond it', (_name, make) => {
    expect(yamlDepthExceeded(make(MAX_YAML_DEPTH - 2))).toBe(false);
    expect(yamlDepthExceeded(make(MAX_YAML_DEPTH + 2))).toBe(true);
  });

  it('an ordinary manifest with comments, quotes and a block scalar is far from the limit', () => {
    const manifest = 'apiVersion: v1 # [[[[\nkind: ConfigMap\nmetadata:\n  name: "x[[["\n  labels: {a: \'[[\'}\ndata:\n  s: |\n    if [ -f x ]; then\n      echo "{{{"\n    fi\n';
    expect(yamlDepthExceeded(manifest, 8)).toBe(false);
  });
});

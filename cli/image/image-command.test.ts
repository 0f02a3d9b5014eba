import { describe, expect, it } from 'vitest';
import { testStreams } from '../testing/test-streams.js';
import { UsageError } from '../flags.js';
import { imageCommand } from './image-command.js';

describe('imageCommand usage', () => {
  it('needs a subcommand', async () => {
    const { out, streams } = testStreams();
    expect(await imageCommand([], streams)).toBe(2);
    expect(out()).toContain('build-test');
  });

  it('rejects unknown subcommands, flags and arguments with UsageError', async () => {
    const { streams } = testStreams();
    await expect(imageCommand(['frob'], streams)).rejects.toThrow(UsageError);
    await expect(imageCommand(['build-test', '--nope'], streams)).rejects.toThrow(UsageError);
    await expect(imageCommand(['build-test', 'extra'], streams)).rejects.toThrow(UsageError);
    await expect(imageCommand(['import'], streams)).rejects.toThrow(UsageError);
    await expect(imageCommand(['import', 'a.tar', '--runtime-endpoint', 'bogus'], streams)).rejects.toThrow(UsageError);
  });
});

/**
 * `tinykube image build-test` builds the test images from busybox-static and imports them;
 * `tinykube image import FILE.tar` loads any image archive. No registry is involved (DESIGN §8).
 */
import type { RuntimeEndpoint } from '../../cri/endpoint.js';
import { importIntoContainerd, importIntoDocker } from '../../cri/images/image-import.js';
import { buildTestImages, DEFAULT_IMAGE_DIR } from '../../cri/images/test-images.js';
import { parseFlags, runtimeEndpointFlag, str, UsageError } from '../flags.js';
import type { IoStreams } from '../io-streams.js';
import { DEFAULT_RUNTIME_ENDPOINT } from '../defaults.js';


async function importArchive(path: string, endpoint: RuntimeEndpoint): Promise<string[]> {
  if (endpoint.kind === 'docker') return importIntoDocker(path, endpoint.socketPath);
  return importIntoContainerd(path, endpoint.address);
}

const USAGE = 'usage: tinykube image build-test [--out DIR] [--runtime-endpoint URL] | tinykube image import FILE.tar [--runtime-endpoint URL]';

export async function imageCommand(argv: readonly string[], io: IoStreams): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'build-test': {
      const p = parseFlags(rest, { values: ['out', 'runtime-endpoint'] });
      if (p.positionals.length > 0) throw new UsageError(`image build-test takes no arguments, got "${p.positionals[0]}"`);
      const endpoint = runtimeEndpointFlag(str(p, 'runtime-endpoint', DEFAULT_RUNTIME_ENDPOINT));
      const out = str(p, 'out', DEFAULT_IMAGE_DIR);
      const started = Date.now();
      const images = await buildTestImages(out);
      for (const img of images) {
        await importArchive(img.path, endpoint);
        io.out.write(`${img.ref}\t${img.imageId.slice(0, 19)}\t${(img.size / 1024 / 1024).toFixed(1)}MiB\t${img.path}\n`);
      }
      io.out.write(`built and imported ${images.length} images in ${Date.now() - started} ms\n`);
      return 0;
    }
    case 'import': {
      const p = parseFlags(rest, { values: ['runtime-endpoint'] });
      if (p.positionals.length !== 1) throw new UsageError('image import needs exactly one FILE.tar');
      const endpoint = runtimeEndpointFlag(str(p, 'runtime-endpoint', DEFAULT_RUNTIME_ENDPOINT));
      const loaded = await importArchive(p.positionals[0]!, endpoint);
      for (const ref of loaded) io.out.write(`loaded ${ref}\n`);
      return 0;
    }
    case undefined: case 'help': case '--help': case '-h':
      io.out.write(`${USAGE}\n`);
      return sub === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown image command "${sub}" (${USAGE})`);
  }
}

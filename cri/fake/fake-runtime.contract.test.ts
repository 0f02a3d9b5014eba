/** The FakeRuntime against the runtime contract suite every backend passes. */
import { describeRuntimeConformance } from '../../test/conformance/runtime.js';
import { FakeRuntime } from './fake-runtime.js';

describeRuntimeConformance('fake', async () => ({
  runtime: new FakeRuntime({ images: ['tinykube/busybox:1', 'tk-conformance/removable:1'] }),
  image: 'tinykube/busybox:1',
  removableImage: 'tk-conformance/removable:1',
  pullableImage: 'tk-conformance/pullable:1',
  cleanup: async () => undefined,
}));

/**
 * The protobuf request decoder, loaded at the first protobuf body: protobufjs and the proto text
 * cost the server about a MiB of heap, and kubectl and the in-process controllers send JSON.
 */
import type { KubeObject } from '../../api/object.js';
import type { ProtobufDecoder } from '../http/body.js';

export function lazyProtobufDecoder(): ProtobufDecoder {
  let decode: ((body: Uint8Array) => KubeObject) | undefined;
  const decoder: ProtobufDecoder = (body) => {
    if (!decode) throw new Error('protobuf decoder used before ready()');
    return decode(body);
  };
  decoder.ready = async () => {
    if (decode) return;
    const { decodeProtobufObject } = await import('./decode.js');
    decode = (body) => decodeProtobufObject(body).object as KubeObject;
  };
  return decoder;
}

/**
 * The gRPC plumbing of the CRI client: one channel to a CRI v1 endpoint (a unix socket), unary
 * calls with a deadline and an optional AbortSignal, server streams, and the translation of every
 * failure to a CriError right here at the edge (status-codes.ts).
 */
import {
  Metadata, credentials, type Client, type ClientReadableStream, type MethodDefinition, type ServiceDefinition,
} from '@grpc/grpc-js';
import { loadCriServices } from '../grpc/load.js';
import { criErrorFromGrpc } from '../grpc/status-codes.js';

export type CriServiceName = 'runtime' | 'image';

export interface CallOptions {
  timeoutMs: number;
  /** Names the call in errors: "stop container 1a2b…". */
  what: string;
  signal?: AbortSignal;
}

/** 16 MiB, as kubelet: ExecSync output and big lists fit. */
const MAX_MESSAGE = 16 * 1024 * 1024;

export class CriClient {
  private readonly runtime: Client;
  private readonly image: Client;
  private readonly defs: Record<CriServiceName, ServiceDefinition>;

  /** `socketPath`: the absolute path of the runtime's unix socket. */
  constructor(readonly socketPath: string) {
    const s = loadCriServices();
    const opts = { 'grpc.max_receive_message_length': MAX_MESSAGE, 'grpc.max_send_message_length': MAX_MESSAGE };
    this.runtime = new s.RuntimeServiceClient(`unix://${socketPath}`, credentials.createInsecure(), opts);
    this.image = new s.ImageServiceClient(`unix://${socketPath}`, credentials.createInsecure(), { ...opts, channelOverride: this.runtime.getChannel() });
    this.defs = { runtime: s.runtimeService, image: s.imageService };
  }

  private method(service: CriServiceName, name: string): MethodDefinition<object, object> {
    const def = this.defs[service][name] as MethodDefinition<object, object> | undefined;
    if (def === undefined) throw new Error(`cri client: no method ${service}.${name}`);
    return def;
  }

  /** One unary call; rejects with a CriError (or the signal's reason when aborted). */
  unary<Res extends object>(service: CriServiceName, name: string, req: object, o: CallOptions): Promise<Res> {
    const def = this.method(service, name);
    const client = service === 'runtime' ? this.runtime : this.image;
    return new Promise<Res>((resolve, reject) => {
      if (o.signal?.aborted) { reject(o.signal.reason); return; }
      const call = client.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, req, new Metadata(),
        { deadline: Date.now() + o.timeoutMs }, (err, res) => {
          o.signal?.removeEventListener('abort', onAbort);
          if (o.signal?.aborted) reject(o.signal.reason);
          else if (err) reject(criErrorFromGrpc(err, o.what));
          else resolve((res ?? {}) as Res);
        });
      const onAbort = (): void => call.cancel();
      o.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A server stream (no deadline: it lives until `signal` aborts or the runtime ends it). */
  serverStream<Res extends object>(service: CriServiceName, name: string, req: object, signal: AbortSignal): ClientReadableStream<Res> {
    const def = this.method(service, name);
    const client = service === 'runtime' ? this.runtime : this.image;
    const call = client.makeServerStreamRequest(def.path, def.requestSerialize, def.responseDeserialize, req, new Metadata(), {});
    signal.addEventListener('abort', () => call.cancel(), { once: true });
    return call as ClientReadableStream<Res>;
  }

  close(): void {
    this.image.close();
    this.runtime.close();
  }
}

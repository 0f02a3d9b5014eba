/**
 * The CRI v1 gRPC server a Docker node serves (what cri-dockerd does for Docker): RuntimeService
 * and ImageService on a root-only unix socket (cri-socket.ts), translated to the runtime contract
 * and back (cri/grpc's converters), with the streaming server for exec/attach/port-forward on the
 * node's loopback. Generic over the contract: unit tests serve a FakeRuntime, the agent its
 * DockerRuntime. Calls the backend cannot serve answer UNIMPLEMENTED with the reason. The socket
 * is ours (net.Server); each connection reaches grpc-js through a connection injector, behind the
 * :authority fix older grpc-go clients need (authority-rewriter.ts).
 */
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { UntypedHandleCall } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { loadCriServices } from '../../cri/grpc/load.js';
import { containerHandlers } from './container-handlers.js';
import type { HandlerContext, NetworkStatus, ServedRuntime } from './context.js';
import { AuthorityRewriter } from './authority-rewriter.js';
import { placeSocket } from './cri-socket.js';
import { imageHandlers } from './image-handlers.js';
import { runtimeInfoHandlers } from './runtime-info-handlers.js';
import { sandboxHandlers } from './sandbox-handlers.js';
import { streamHandlers } from './stream-handlers.js';
import { startStreamingServer } from './streaming-server.js';
import { unimplemented } from './unary.js';

/** The connection as grpc-js reads it: the client's bytes through an AuthorityRewriter, ours straight back. */
function rewriteAuthority(socket: Socket): Duplex {
  const rewriter = new AuthorityRewriter();
  const conn = Duplex.from({ readable: socket.pipe(rewriter), writable: socket });
  rewriter.once('error', (err) => conn.destroy(err));
  socket.once('error', (err) => conn.destroy(err));
  conn.once('close', () => socket.destroy());
  return conn;
}

/** How long close() lets calls in flight finish before cutting them off. */
const SHUTDOWN_GRACE_MS = 1000;

export interface CriServerOptions {
  /** The unix socket path (created 0600; a stale socket there is replaced). */
  socketPath: string;
  runtime: ServedRuntime;
  log: Logger;
  /** The NetworkReady condition (default: ready). */
  networkStatus?: () => NetworkStatus;
  /** Where the streaming server listens (default 127.0.0.1, random port). */
  streamingHost?: string;
  nowNs?: () => number;
}

export interface CriServer {
  readonly socketPath: string;
  readonly streamingPort: number;
  /** Stops serving and removes the socket. */
  close(): Promise<void>;
}

const NOT_SERVED: Record<string, string> = {
  CheckpointContainer: 'checkpointing containers is not supported',
  ListMetricDescriptors: 'the runtime exports no pod metrics',
  ListPodSandboxMetrics: 'the runtime exports no pod metrics',
};

export async function startCriServer(opts: CriServerOptions): Promise<CriServer> {
  const log = opts.log;
  const streaming = await startStreamingServer({ host: opts.streamingHost ?? '127.0.0.1', runtime: opts.runtime, log: log.child({ component: 'cri-streaming' }) });
  const ctx: HandlerContext = {
    runtime: opts.runtime, streaming, log,
    networkStatus: opts.networkStatus ?? (() => ({ ready: true })),
    nowNs: opts.nowNs ?? (() => Date.now() * 1e6),
  };
  const notServed: Record<string, UntypedHandleCall> = {};
  for (const [method, why] of Object.entries(NOT_SERVED)) notServed[method] = unimplemented(method, why);
  const { runtimeService, imageService } = loadCriServices();
  const server = new Server();
  server.addService(runtimeService, {
    ...notServed, ...runtimeInfoHandlers(ctx), ...sandboxHandlers(ctx), ...containerHandlers(ctx), ...streamHandlers(ctx),
  });
  server.addService(imageService, imageHandlers(ctx));
  // grpc-js gets each connection through an injector, behind the :authority fix (authority-rewriter.ts)
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
  const connections = new Set<Socket>();
  const listener = createServer((socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    injector.injectConnection(rewriteAuthority(socket));
  });
  let socket;
  try {
    socket = await placeSocket(opts.socketPath, (tmp) => new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(tmp, () => { listener.off('error', reject); resolve(); });
    }));
  } catch (err) {
    server.forceShutdown();
    await streaming.close();
    throw new Error(`start cri server: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  log.info({ socket: opts.socketPath, streamingPort: streaming.port }, 'Started CRI server');
  const placed = socket;
  return {
    socketPath: opts.socketPath,
    streamingPort: streaming.port,
    async close() {
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => { server.forceShutdown(); resolve(); }, SHUTDOWN_GRACE_MS);
        server.tryShutdown(() => { clearTimeout(timer); resolve(); });
      });
      for (const c of connections) c.destroy();
      await closed;
      await placed.remove();
      await streaming.close();
      log.info({ socket: opts.socketPath }, 'Stopped CRI server');
    },
  };
}

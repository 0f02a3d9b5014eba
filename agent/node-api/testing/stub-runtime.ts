/**
 * A tiny stand-in for the runtime's streaming verbs (tests of the node API): logs from a fixed
 * list, a few scripted commands for exec/attach, and port-forward to a TCP address on this host.
 *   echo ARGS…   → ARGS joined by spaces on stdout, exit 0
 *   cat          → stdin copied to stdout until stdin ends, exit 0
 *   exit N       → "bye" on stderr, exit N
 *   anything else → "unknown command" on stderr, exit 127
 */
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { PassThrough } from 'node:stream';
import type { AttachOptions, ExecOptions, LogLine, RuntimeService, StreamSession } from '../../../cri/types.js';
import type { PodLookup } from '../../types.js';

export interface StubRuntimeOptions {
  logs: LogLine[];
  /** Where portForward connects, whatever port is asked (the port is recorded). */
  forwardTo?: { host: string; port: number };
}

export class StubRuntime implements Pick<RuntimeService, 'containerLogs' | 'exec' | 'attach' | 'portForward'> {
  readonly execs: ExecOptions[] = [];
  readonly forwardedPorts: number[] = [];
  readonly resizes: { width: number; height: number }[] = [];
  constructor(private readonly opts: StubRuntimeOptions) {}

  async *containerLogs(_id: string, o: { follow: boolean; tailLines?: number }, signal: AbortSignal): AsyncIterable<LogLine> {
    const lines = o.tailLines !== undefined ? this.opts.logs.slice(-o.tailLines || this.opts.logs.length) : this.opts.logs;
    for (const l of o.tailLines === 0 ? [] : lines) yield l;
    if (!o.follow) return;
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  async exec(_id: string, o: ExecOptions): Promise<StreamSession> {
    this.execs.push(o);
    return this.run(o.cmd, o.stdin);
  }

  async attach(_id: string, o: AttachOptions): Promise<StreamSession> {
    return this.run(['echo', 'attached'], o.stdin);
  }

  async portForward(_sandboxId: string, port: number): Promise<Duplex> {
    this.forwardedPorts.push(port);
    const to = this.opts.forwardTo;
    if (!to) throw new Error(`connect: connection refused (port ${port})`);
    const sock = connect(to.port, to.host);
    await new Promise<void>((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
    return sock;
  }

  private run(cmd: readonly string[], withStdin: boolean): StreamSession {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const [name, ...args] = cmd;
    let exitCode: Promise<number>;
    if (name === 'echo') {
      stdout.end(args.join(' ') + '\n');
      stderr.end();
      exitCode = Promise.resolve(0);
    } else if (name === 'cat') {
      stdin.pipe(stdout);
      stderr.end();
      if (!withStdin) stdin.end();
      exitCode = new Promise((resolve) => stdout.once('end', () => resolve(0)));
    } else if (name === 'exit') {
      stdout.end();
      stderr.end('bye\n');
      exitCode = Promise.resolve(Number(args[0] ?? 1));
    } else {
      stdout.end();
      stderr.end(`unknown command ${JSON.stringify(name ?? '')}\n`);
      exitCode = Promise.resolve(127);
    }
    return {
      stdin: withStdin ? stdin : undefined, stdout, stderr, exitCode,
      resize: (size) => { this.resizes.push(size); },
    };
  }
}

/** Every pod exists with container ids `<ns>/<pod>/<container>` and sandbox `<ns>/<pod>`, except those named `missing`. */
export const stubPods: PodLookup = {
  async containerId(ns, pod, container, o) {
    if (pod === 'missing' || container === 'missing') return undefined;
    return `${ns}/${pod}/${container}${o?.previous ? '/previous' : ''}`;
  },
  async sandboxId(ns, pod) { return pod === 'missing' ? undefined : `${ns}/${pod}`; },
};

/**
 * A small Docker Engine API client: only the calls tinykube makes, over dockerd's unix socket,
 * pinned to API 1.41. Plain objects in, plain objects out (shapes in ./types.ts); failures are
 * DockerEngineErrors (HTTP status + Docker's message) or Node socket errors, translated to
 * CriError one level up (cri/docker/errors.ts). Streams: logs and events are HTTP bodies;
 * exec start and attach are hijacked sockets carrying the raw (multiplexed unless TTY) stream.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { abortError, DockerEngineError } from './errors.js';
import { registryAuthHeader, splitImageRef } from './image-ref.js';
import { readJsonLines } from './json-lines.js';
import { EngineTransport, nameSegment } from './transport.js';
import type {
  AttachOptions, ContainerCreateOptions, ContainerInspect, EngineContainerStats, ContainerSummary, ContainerWaitResult, EngineEvent, EngineFilters,
  EngineVersion, ExecCreateOptions, ExecInspect, ImageInspect, ImageSummary, LogsOptions, ProgressRecord, RegistryAuth, TerminalSize,
} from './types.js';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export interface DockerEngineOptions {
  /** dockerd's socket. Default /var/run/docker.sock. */
  socketPath?: string;
  /** The API version every path is pinned to. Default 1.41 (Docker 20.10). */
  apiVersion?: string;
}

const id = (s: string): string => encodeURIComponent(s);
const filtersParam = (f: EngineFilters | undefined): string | undefined => f === undefined ? undefined : JSON.stringify(f);

export class DockerEngine {
  readonly #t: EngineTransport;

  constructor(opts: DockerEngineOptions = {}) {
    this.#t = new EngineTransport({
      socketPath: opts.socketPath ?? DEFAULT_DOCKER_SOCKET,
      ...(opts.apiVersion === undefined ? {} : { apiVersion: opts.apiVersion }),
    });
  }

  version(): Promise<EngineVersion> {
    return this.#t.json({ method: 'GET', path: '/version' });
  }

  // ---- containers

  /** Creates a container (named when `name` is set); returns its ID. */
  async createContainer(opts: ContainerCreateOptions): Promise<string> {
    const { name, ...body } = opts;
    const r = await this.#t.json<{ Id: string }>({ method: 'POST', path: '/containers/create', query: { name }, body });
    return r.Id;
  }

  /** 304 (already running) is a DockerEngineError like any non-2xx; callers decide. */
  startContainer(cid: string): Promise<void> {
    return this.#t.empty({ method: 'POST', path: `/containers/${id(cid)}/start` });
  }

  /** SIGTERM, SIGKILL after `t` seconds (Docker's default when absent). 304 = already stopped. */
  stopContainer(cid: string, opts: { t?: number } = {}): Promise<void> {
    return this.#t.empty({ method: 'POST', path: `/containers/${id(cid)}/stop`, query: { t: opts.t } });
  }

  killContainer(cid: string, opts: { signal?: string } = {}): Promise<void> {
    return this.#t.empty({ method: 'POST', path: `/containers/${id(cid)}/kill`, query: { signal: opts.signal } });
  }

  /** `force` kills a running container first; `v` removes its anonymous volumes. */
  removeContainer(cid: string, opts: { force?: boolean; v?: boolean } = {}): Promise<void> {
    return this.#t.empty({ method: 'DELETE', path: `/containers/${id(cid)}`, query: { force: opts.force, v: opts.v } });
  }

  inspectContainer(cid: string): Promise<ContainerInspect> {
    return this.#t.json({ method: 'GET', path: `/containers/${id(cid)}/json` });
  }

  /** One stats sample; Docker waits for a second one so precpu_stats is filled. */
  containerStats(cid: string): Promise<EngineContainerStats> {
    return this.#t.json({ method: 'GET', path: `/containers/${id(cid)}/stats`, query: { stream: false } });
  }

  /** The size of the container's writable layer (`docker inspect --size`), in bytes. */
  async containerSizeRw(cid: string): Promise<number> {
    const r = await this.#t.json<{ SizeRw?: number }>({ method: 'GET', path: `/containers/${id(cid)}/json`, query: { size: true } });
    return r.SizeRw ?? 0;
  }

  listContainers(opts: { all?: boolean; filters?: EngineFilters } = {}): Promise<ContainerSummary[]> {
    return this.#t.json({ method: 'GET', path: '/containers/json', query: { all: opts.all, filters: filtersParam(opts.filters) } });
  }

  /** Resolves when the container stops (long poll). */
  waitContainer(cid: string, signal?: AbortSignal): Promise<ContainerWaitResult> {
    return this.#t.json({ method: 'POST', path: `/containers/${id(cid)}/wait`, ...(signal === undefined ? {} : { signal }) });
  }

  /** The container's stdio as a hijacked socket: multiplexed frames unless the container has a TTY. */
  attachContainer(cid: string, opts: AttachOptions): Promise<Socket> {
    return this.#t.hijack({
      method: 'POST', path: `/containers/${id(cid)}/attach`,
      query: { stream: true, stdin: opts.stdin, stdout: opts.stdout, stderr: opts.stderr },
    });
  }

  resizeContainer(cid: string, size: TerminalSize): Promise<void> {
    return this.#t.empty({ method: 'POST', path: `/containers/${id(cid)}/resize`, query: { h: size.h, w: size.w } });
  }

  /** The log stream (multiplexed frames unless TTY); with `follow` it stays open until the container stops or `signal` aborts. */
  containerLogs(cid: string, opts: LogsOptions, signal?: AbortSignal): Promise<IncomingMessage> {
    return this.#t.send({
      method: 'GET', path: `/containers/${id(cid)}/logs`,
      query: { follow: opts.follow, stdout: opts.stdout, stderr: opts.stderr, timestamps: opts.timestamps, tail: opts.tail, since: opts.since },
      ...(signal === undefined ? {} : { signal }),
    });
  }

  // ---- exec

  /** Creates an exec instance in a running container; returns its ID. */
  async createExec(cid: string, opts: ExecCreateOptions): Promise<string> {
    const r = await this.#t.json<{ Id: string }>({ method: 'POST', path: `/containers/${id(cid)}/exec`, body: opts });
    return r.Id;
  }

  /** Starts the exec attached: a hijacked socket (stdin written to it, `end()` sends EOF). */
  startExec(execId: string, opts: { tty: boolean }): Promise<Socket> {
    return this.#t.hijack({ method: 'POST', path: `/exec/${id(execId)}/start`, body: { Detach: false, Tty: opts.tty } });
  }

  inspectExec(execId: string): Promise<ExecInspect> {
    return this.#t.json({ method: 'GET', path: `/exec/${id(execId)}/json` });
  }

  resizeExec(execId: string, size: TerminalSize): Promise<void> {
    return this.#t.empty({ method: 'POST', path: `/exec/${id(execId)}/resize`, query: { h: size.h, w: size.w } });
  }

  // ---- events

  /** Engine events as they happen, until `signal` aborts (then the iteration throws an AbortError) or dockerd closes. */
  async *events(opts: { filters?: EngineFilters; signal?: AbortSignal } = {}): AsyncGenerator<EngineEvent> {
    const res = await this.#t.send({
      method: 'GET', path: '/events', query: { filters: filtersParam(opts.filters) },
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    });
    try {
      for await (const rec of readJsonLines(res)) yield rec as EngineEvent;
    } finally {
      res.destroy();
    }
  }

  // ---- images

  listImages(): Promise<ImageSummary[]> {
    return this.#t.json({ method: 'GET', path: '/images/json' });
  }

  inspectImage(name: string): Promise<ImageInspect> {
    return this.#t.json({ method: 'GET', path: `/images/${nameSegment(name)}/json` });
  }

  removeImage(name: string): Promise<void> {
    return this.#t.empty({ method: 'DELETE', path: `/images/${nameSegment(name)}` });
  }

  /** Gives image `name` the reference repo:tag (POST /images/{name}/tag). */
  tagImage(name: string, repo: string, tag: string): Promise<void> {
    return this.#t.empty({ method: 'POST', path: `/images/${nameSegment(name)}/tag`, query: { repo, tag } });
  }

  /**
   * Pulls `ref` and reads the progress stream to its end. Docker reports most pull failures
   * inside that stream (HTTP 200, then `{"error": …}`): they reject with a DockerEngineError
   * whose statusCode is undefined. With `progressDeadlineMs`, a pull that sends no progress record
   * for that long (a registry that never answers) is cancelled, as dockershim's
   * --image-pull-progress-deadline did: DockerEngineError DOCKER_NO_PROGRESS (dockerd drops the
   * pull when its request goes away).
   */
  async pullImage(ref: string, opts: { auth?: RegistryAuth; signal?: AbortSignal; progressDeadlineMs?: number } = {}): Promise<void> {
    const { fromImage, tag } = splitImageRef(ref);
    const stall = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const touch = (): void => {
      clearTimeout(timer);
      if (opts.progressDeadlineMs !== undefined) timer = setTimeout(() => stall.abort(), opts.progressDeadlineMs);
    };
    const signal = opts.signal === undefined ? stall.signal : AbortSignal.any([opts.signal, stall.signal]);
    touch();
    try {
      const res = await this.#t.send({
        method: 'POST', path: '/images/create', query: { fromImage, tag },
        ...(opts.auth === undefined ? {} : { headers: { 'X-Registry-Auth': registryAuthHeader(opts.auth) } }),
        signal,
      });
      try {
        for await (const raw of readJsonLines(res)) {
          touch();
          const rec = raw as ProgressRecord;
          const message = rec.errorDetail?.message ?? rec.error;
          if (message !== undefined) throw new DockerEngineError({ code: 'DOCKER_STREAM_ERROR', message });
        }
        // an abort may end the body like a normal end: it is no finished pull
        if (signal.aborted) throw abortError(signal);
      } finally {
        res.destroy();
      }
    } catch (e) {
      if (stall.signal.aborted && opts.signal?.aborted !== true) {
        const ms = opts.progressDeadlineMs ?? 0;
        const took = ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
        throw new DockerEngineError({ code: 'DOCKER_NO_PROGRESS', message: `cancel pulling image "${ref}" because of no progress for ${took}`, cause: e });
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes idle connections; the client stays usable (new calls reconnect). */
  close(): void {
    this.#t.close();
  }
}

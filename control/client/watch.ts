/** Decodes a watch response (NDJSON) into events; an ERROR event becomes a thrown ApiError. */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Status } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../api/object.js';
import { ApiError } from '../api/status.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
export interface WatchEvent<T extends KubeObject = KubeObject> { type: WatchEventType; object: T }

export async function* decodeWatchStream<T extends KubeObject>(body: Readable, signal: AbortSignal): AsyncIterable<WatchEvent<T>> {
  let buf = '';
  const text = new StringDecoder('utf8'); // keeps a character split across chunks whole
  try {
    for await (const chunk of body) {
      buf += text.write(chunk as Buffer);
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (!line) continue;
        const ev = JSON.parse(line) as { type: string; object: unknown };
        if (ev.type === 'ERROR') {
          const st = ev.object as Status;
          throw new ApiError({ ...st, code: st.code ?? 500 });
        }
        yield ev as WatchEvent<T>;
      }
    }
  } catch (err) {
    if (signal.aborted) return;
    throw err;
  } finally {
    body.destroy();
  }
}

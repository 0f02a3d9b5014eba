/** The part of hpack.js (2.1.6, untyped) the CRI server uses: a stateful HPACK decompressor. */
declare module 'hpack.js' {
  import type { EventEmitter } from 'node:events';

  export interface HpackHeader { name: string; value: string; neverIndex: boolean }
  export interface Decompressor extends EventEmitter {
    write(block: Buffer): boolean;
    /** Decodes what was written; a malformed block emits 'error' (synchronously). */
    execute(): void;
    /** The next decoded header, or null. */
    read(): HpackHeader | null;
  }
  const hpack: {
    decompressor: { create(options: { table: { maxSize: number } }): Decompressor };
  };
  export default hpack;
}

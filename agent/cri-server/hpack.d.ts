/** The part of hpack.js (2.1.6, untyped) the CRI server uses: a stateful HPACK decompressor (and a compressor, for tests). */
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
  export interface Compressor extends EventEmitter {
    /** Encodes one header block (indexing into the dynamic table unless `incremental` is false). */
    write(headers: { name: string; value: string; huffman?: boolean; incremental?: boolean }[]): boolean;
    /** The next encoded chunk, or null. */
    read(): Buffer | null;
  }
  const hpack: {
    decompressor: { create(options: { table: { maxSize: number } }): Decompressor };
    compressor: { create(options: { table: { maxSize: number } }): Compressor };
  };
  export default hpack;
}

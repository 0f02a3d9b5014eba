/**
 * Reads a stream of newline-delimited JSON records (pull progress, events). Records, and UTF-8
 * characters inside them, may split across chunks.
 */
import { StringDecoder } from 'node:string_decoder';

export async function* readJsonLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<unknown> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream) {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl).trim();
      rest = rest.slice(nl + 1);
      if (line !== '') yield JSON.parse(line) as unknown;
    }
  }
  rest += decoder.end();
  if (rest.trim() !== '') yield JSON.parse(rest) as unknown;
}

/** Reads a stream of newline-delimited JSON records (docker pull progress, docker events). */
export async function* readJsonLines(stream: NodeJS.ReadableStream): AsyncGenerator<unknown> {
  let rest = '';
  for await (const chunk of stream) {
    rest += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl).trim();
      rest = rest.slice(nl + 1);
      if (line !== '') yield JSON.parse(line) as unknown;
    }
  }
  if (rest.trim() !== '') yield JSON.parse(rest) as unknown;
}

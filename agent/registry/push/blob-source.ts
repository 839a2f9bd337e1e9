import { createReadStream } from "node:fs";
import { Readable, Transform } from "node:stream";

/**
 * A body factory for `bytes [start, end)` of a file, reporting bytes as they are read. Every call
 * opens the file again (the transport may resend a body after an auth challenge), so what it
 * reports starts over from `start` each time.
 */
export function fileRange(
  file: string,
  start: number,
  end: number,
  onSent: (sent: number) => void,
): () => Readable {
  return () => {
    let sent = start;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        sent += chunk.length;
        onSent(sent);
        done(null, chunk);
      },
    });
    // createReadStream's `end` is inclusive, so an empty range cannot be expressed with it.
    const source =
      end > start ? createReadStream(file, { start, end: end - 1 }) : Readable.from([]);
    source.on("error", (err: Error) => counter.destroy(err));
    return source.pipe(counter);
  };
}

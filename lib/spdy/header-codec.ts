import zlib from "node:zlib";
import { spdyDictionary } from "./dictionary.js";

/**
 * One direction's header compression: SPDY/3 runs a single zlib stream per direction for the
 * whole connection, preset with the SPDY dictionary, each header block ending at a sync flush.
 * Calls are queued, so blocks keep the order of the frames that carry them.
 */
export class SpdyHeaderCodec {
  private readonly stream: zlib.Inflate | zlib.Deflate;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(direction: "inflate" | "deflate") {
    this.stream =
      direction === "inflate"
        ? zlib.createInflate({ dictionary: spdyDictionary })
        : zlib.createDeflate({
            dictionary: spdyDictionary,
            level: zlib.constants.Z_BEST_COMPRESSION,
          });
  }

  /** Decompresses (or compresses) one header block, continuing the connection's zlib stream. */
  process(block: Buffer): Promise<Buffer> {
    const run = () =>
      new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const onData = (chunk: Buffer) => chunks.push(chunk);
        const onError = (err: Error) => {
          this.stream.off("data", onData);
          reject(err);
        };
        this.stream.on("data", onData);
        this.stream.once("error", onError);
        this.stream.write(block);
        this.stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          this.stream.off("data", onData);
          this.stream.off("error", onError);
          resolve(Buffer.concat(chunks));
        });
      });
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.stream.destroy();
  }
}

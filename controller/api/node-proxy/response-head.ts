import type { Duplex } from "node:stream";

/** An HTTP response head as it arrived, and what came after it in the same reads. */
export interface ResponseHead {
  statusCode: number;
  /** The status line and headers, up to and including the blank line, byte for byte. */
  raw: Buffer;
  /** Bytes read past the head: the start of a body or of the upgraded protocol. */
  rest: Buffer;
}

const endOfHead = Buffer.from("\r\n\r\n");

/**
 * Reads an HTTP/1.1 response head from a raw socket without consuming anything after it (what
 * follows a 101 belongs to the upgraded protocol). Fails when the peer closes first, sends more
 * than `maxBytes` of head, or takes longer than `timeoutMs`.
 */
export function readResponseHead(
  socket: Duplex,
  options: { maxBytes: number; timeoutMs: number },
): Promise<ResponseHead> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(
      () => finish(new Error(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const at = buffered.indexOf(endOfHead);
      if (at < 0) {
        if (buffered.length > options.maxBytes) finish(new Error("response head too large"));
        return;
      }
      const raw = buffered.subarray(0, at + endOfHead.length);
      const statusLine = raw.toString("latin1", 0, raw.indexOf("\r\n"));
      const match = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine);
      if (!match) return finish(new Error(`not an HTTP response: ${JSON.stringify(statusLine)}`));
      finish(undefined, {
        statusCode: Number(match[1]),
        raw,
        rest: buffered.subarray(raw.length),
      });
    };
    const onEnd = () => finish(new Error("the connection closed before an answer"));
    const onError = (err: Error) => finish(err);
    function finish(err: Error | undefined, head?: ResponseHead) {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.off("close", onEnd);
      socket.off("error", onError);
      socket.pause();
      if (err) reject(err);
      else resolve(head!);
    }
    socket.on("data", onData);
    socket.once("end", onEnd);
    socket.once("close", onEnd);
    socket.once("error", onError);
  });
}

import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import {
  acceptsGzip,
  minCompressedBytes,
  sendMaybeCompressed,
} from "../../../lib/compressed-response.js";

const withEncoding = (value?: string) =>
  ({ headers: value === undefined ? {} : { "accept-encoding": value } }) as http.IncomingMessage;

/** One GET to a server answering `body` through sendMaybeCompressed; the raw answer. */
async function fetchRaw(body: string, acceptEncoding?: string) {
  const server = http.createServer((req, res) => {
    void sendMaybeCompressed(req, res, "text/plain", body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await new Promise<{ headers: http.IncomingHttpHeaders; bytes: Buffer }>(
      (resolve, reject) => {
        const req = http.get(
          {
            host: "127.0.0.1",
            port: (server.address() as AddressInfo).port,
            headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {},
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }));
          },
        );
        req.on("error", reject);
      },
    );
  } finally {
    server.close();
  }
}

describe("compressed responses", () => {
  it("reads Accept-Encoding as HTTP does: listed, case-insensitive, not refused by q=0", () => {
    expect(
      ["gzip", "deflate, GZIP", "br;q=1, gzip;q=0.5", undefined, "gzip;q=0", "identity"].map((h) =>
        acceptsGzip(withEncoding(h)),
      ),
    ).to.deep.equal([true, true, true, false, false, false]);
  });

  it("gzips a large body for a client that accepts it, and only then", async () => {
    const body = 'container_memory_working_set_bytes{pod="p"} 123\n'.repeat(2000);
    expect(body.length).to.be.greaterThan(minCompressedBytes);
    const zipped = await fetchRaw(body, "gzip");
    expect(zipped.headers["content-encoding"]).to.equal("gzip");
    expect(zipped.headers.vary).to.equal("Accept-Encoding");
    expect(zipped.bytes.length).to.be.lessThan(body.length / 10);
    expect(zlib.gunzipSync(zipped.bytes).toString()).to.equal(body);
    const plain = await fetchRaw(body);
    expect([plain.headers["content-encoding"], plain.bytes.toString()]).to.deep.equal([
      undefined,
      body,
    ]);
    const small = await fetchRaw("up 1\n", "gzip");
    expect([small.headers["content-encoding"], small.bytes.toString()]).to.deep.equal([
      undefined,
      "up 1\n",
    ]);
  });
});

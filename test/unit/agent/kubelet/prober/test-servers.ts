import { promises as fs } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { run } from "../../../../../lib/exec.js";
import { tempDir } from "../../../../support/temp-dir.js";

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface TestServer {
  port: number;
  requests: http.IncomingMessage[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (HTTPS with `tls`), recording requests; close() ends it. */
export async function startServer(
  handler: Handler,
  tls?: { cert: string; key: string },
): Promise<TestServer> {
  const requests: http.IncomingMessage[] = [];
  const wrapped: Handler = (req, res) => {
    requests.push(req);
    handler(req, res);
  };
  const server = tls ? https.createServer(tls, wrapped) : http.createServer(wrapped);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A self-signed certificate for 127.0.0.1, made with openssl in a temp dir. */
export async function selfSignedCert(): Promise<{ cert: string; key: string }> {
  const dir = tempDir("probe-tls");
  try {
    const cert = path.join(dir.path, "tls.crt");
    const key = path.join(dir.path, "tls.key");
    await run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-subj",
      "/CN=probe-test",
      "-days",
      "1",
      "-keyout",
      key,
      "-out",
      cert,
    ]);
    return { cert: await fs.readFile(cert, "utf8"), key: await fs.readFile(key, "utf8") };
  } finally {
    dir.remove();
  }
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

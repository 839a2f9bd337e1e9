import http from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the fake API server saw it. */
export interface FakeApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body, or undefined without one. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export type FakeApiHandler = (
  req: FakeApiRequest,
  res: http.ServerResponse,
) => void | Promise<void>;

export interface FakeApi {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Every request, in arrival order. */
  requests: FakeApiRequest[];
  /** Replaces the handler. */
  setHandler(handler: FakeApiHandler): void;
  /** Drops every open connection (watches included), as a restarting server would. */
  dropConnections(): void;
  close(): Promise<void>;
}

/** Answers with JSON and a status code. */
export function sendJson(res: http.ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** A Kubernetes Status answer. */
export function sendStatus(
  res: http.ServerResponse,
  code: number,
  reason: string,
  message: string,
): void {
  sendJson(res, code, {
    kind: "Status",
    apiVersion: "v1",
    status: "Failure",
    code,
    reason,
    message,
  });
}

/**
 * A plain-HTTP stand-in for the API server on 127.0.0.1 for unit tests of the agent's client:
 * records each request and hands it to the test's handler (404 when it does not answer).
 */
export async function startFakeApi(handler: FakeApiHandler = () => undefined): Promise<FakeApi> {
  let current = handler;
  const requests: FakeApiRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (b: Buffer) => chunks.push(b));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const text = Buffer.concat(chunks).toString("utf8");
      const request: FakeApiRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: text === "" ? undefined : JSON.parse(text),
      };
      requests.push(request);
      Promise.resolve(current(request, res))
        .then(() => {
          if (!res.headersSent) sendStatus(res, 404, "NotFound", `no answer for ${request.path}`);
        })
        .catch((err: Error) => {
          if (!res.headersSent) sendStatus(res, 500, "InternalError", err.message);
          else res.destroy();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler: (h) => (current = h),
    dropConnections: () => server.closeAllConnections(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { expect } from "chai";
import { EventEmitter } from "node:events";
import type http from "node:http";
import { Writable } from "node:stream";
import winston from "winston";
import {
  logRequest,
  redactedUri,
  type RequestParty,
} from "../../../../controller/api/access-log.js";
import { parseRequestInfo } from "../../../../controller/api/request-info.js";
import { withoutCredentials } from "../../../../lib/logger.js";

const token = "s3cr3t-token-value";

/** A logger like createLogger's (JSON, credentials masked) writing lines into `lines`. */
function capturingLogger(lines: string[], level = "info") {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString().trim());
      done();
    },
  });
  return winston.createLogger({
    level,
    format: winston.format.combine(withoutCredentials(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream })],
  });
}

/** A request and a response that only carry what the log reads; `finish()` ends the exchange. */
function exchange(method: string, path: string, headers: Record<string, string> = {}) {
  const req = {
    method,
    url: path,
    headers: { authorization: `Bearer ${token}`, ...headers },
    socket: { remoteAddress: "127.0.0.1", remotePort: 40000 },
  } as unknown as http.IncomingMessage;
  const res = Object.assign(new EventEmitter(), { statusCode: 200, writableFinished: false });
  const url = new URL(path, "https://berth.invalid");
  return {
    req,
    res: res as unknown as http.ServerResponse,
    url,
    info: parseRequestInfo(method, url),
    finish(code: number, finished = true) {
      res.statusCode = code;
      res.writableFinished = finished;
      res.emit("close");
    },
  };
}

const parsed = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe("controller/api access log (one line per request, as the apiserver's httplog)", () => {
  it("logs a create once answered: verb, URI, user name, agent, source, code, latency, object", async () => {
    const lines: string[] = [];
    const x = exchange("POST", "/api/v1/namespaces/web/pods", { "user-agent": "kubectl/v1.30.0" });
    const party: RequestParty = {};
    logRequest(capturingLogger(lines), x.req, x.res, x.url, x.info, party);
    party.user = { name: "alice", groups: ["system:authenticated"] };
    expect(lines, "nothing before the answer").to.deep.equal([]);
    await new Promise((r) => setTimeout(r, 3));
    x.finish(201);
    const [entry] = parsed(lines);
    expect(entry).to.deep.include({
      level: "info",
      message: "HTTP",
      verb: "POST",
      URI: "/api/v1/namespaces/web/pods",
      path: "/api/v1/namespaces/web/pods",
      user: "alice",
      userAgent: "kubectl/v1.30.0",
      srcIP: "127.0.0.1:40000",
      code: 201,
      resource: "pods",
      namespace: "web",
    });
    expect(entry.latencyMs).to.be.a("number").and.to.be.greaterThan(2);
    expect(lines[0]).not.to.include(token);
    expect(lines[0].toLowerCase()).not.to.include("authorization");
  });

  it("logs a watch when it ends, as WATCH of the group's resource", () => {
    const lines: string[] = [];
    const x = exchange("GET", "/apis/apps/v1/namespaces/web/deployments?watch=true");
    logRequest(capturingLogger(lines), x.req, x.res, x.url, x.info, {});
    expect(lines).to.have.length(0);
    x.finish(200);
    expect(parsed(lines)[0]).to.deep.include({
      verb: "WATCH",
      resource: "deployments.apps",
      namespace: "web",
      URI: "/apis/apps/v1/namespaces/web/deployments?watch=true",
    });
  });

  it("logs health checks and /metrics scrapes at debug only", () => {
    const infoLines: string[] = [];
    const debugLines: string[] = [];
    for (const path of ["/readyz", "/livez", "/healthz/etcd", "/metrics"]) {
      for (const [lines, level] of [
        [infoLines, "info"],
        [debugLines, "debug"],
      ] as const) {
        const x = exchange("GET", path);
        logRequest(capturingLogger(lines, level), x.req, x.res, x.url, x.info, {});
        x.finish(200);
      }
    }
    expect(infoLines).to.deep.equal([]);
    expect(parsed(debugLines).map((e) => [e.level, e.path])).to.deep.equal([
      ["debug", "/readyz"],
      ["debug", "/livez"],
      ["debug", "/healthz/etcd"],
      ["debug", "/metrics"],
    ]);
  });

  it("marks an upgraded stream hijacked and an answer the client left aborted", () => {
    const lines: string[] = [];
    const exec = exchange("GET", "/api/v1/namespaces/web/pods/p/exec?command=sh&stdout=true");
    logRequest(capturingLogger(lines), exec.req, exec.res, exec.url, exec.info, {}, true);
    exec.finish(101, false);
    const left = exchange("GET", "/api/v1/namespaces/web/pods");
    logRequest(capturingLogger(lines), left.req, left.res, left.url, left.info, {});
    left.finish(200, false);
    const [upgraded, aborted] = parsed(lines);
    expect(upgraded).to.deep.include({ code: 101, hijacked: true, subresource: "exec", name: "p" });
    expect(upgraded).not.to.have.property("aborted");
    expect(aborted).to.deep.include({ code: 200, aborted: true });
  });

  it("masks query values that may carry secrets (an exec's command line, tokens)", () => {
    const url = new URL(
      "https://x/api/v1/namespaces/a/pods/p/exec?command=env&command=PASSWORD%3Dhunter2&stdin=true&access_token=abc",
    );
    const uri = redactedUri(url);
    expect(uri).to.equal(
      "/api/v1/namespaces/a/pods/p/exec?command=[redacted]&command=[redacted]&stdin=true&access_token=[redacted]",
    );
    expect(redactedUri(new URL("https://x/api/v1/pods?labelSelector=app%3Dweb"))).to.equal(
      "/api/v1/pods?labelSelector=app%3Dweb",
    );
  });
});

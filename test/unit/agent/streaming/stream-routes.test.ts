import { expect } from "chai";
import { matchRoute } from "../../../../agent/streaming/stream-routes.js";
import { parseLogQuery } from "../../../../agent/streaming/log-query.js";
import { parsePorts } from "../../../../agent/streaming/port-forward-endpoint.js";
import { parseStreamOptions } from "../../../../agent/streaming/remote-command.js";

const q = (text: string) => new URLSearchParams(text);

describe("streaming API paths and parameters", () => {
  it("matches kubelet's paths, decoding each segment", () => {
    expect(matchRoute("/containerLogs/ns/web-1/app")).to.deep.equal({
      endpoint: "containerLogs",
      namespace: "ns",
      pod: "web-1",
      container: "app",
    });
    expect(matchRoute("/exec/ns/p%2Dx/c")).to.include({ endpoint: "exec", pod: "p-x" });
    expect(matchRoute("/portForward/ns/p")).to.deep.equal({
      endpoint: "portForward",
      namespace: "ns",
      pod: "p",
    });
    expect(matchRoute("/healthz")).to.deep.equal({ endpoint: "healthz" });
    for (const bad of [
      "/",
      "/exec/ns/p",
      "/exec/ns//c",
      "/portForward/ns/p/c",
      "/logs/a/b/c",
      "/exec/%E0/p/c",
    ]) {
      expect(matchRoute(bad), bad).to.equal(undefined);
    }
  });

  it("reads kubectl logs options and rejects bad ones naming the parameter", () => {
    const { options, previous } = parseLogQuery(
      q("follow=true&tailLines=5&timestamps=1&previous=true&limitBytes=10&stream=Stderr"),
    );
    expect(previous).to.equal(true);
    expect(options).to.deep.include({
      follow: true,
      tailLines: 5,
      timestamps: true,
      limitBytes: 10,
    });
    expect(options.stream).to.equal("Stderr");
    expect(parseLogQuery(q("sinceSeconds=10"), 1_000_000).options.sinceNanos).to.equal(
      990_000n * 1_000_000n,
    );
    expect(parseLogQuery(q("sinceTime=1970-01-01T00:00:02Z")).options.sinceNanos).to.equal(
      2_000_000_000n,
    );
    expect(() => parseLogQuery(q("tailLines=-1"))).to.throw(/tailLines/);
    expect(() => parseLogQuery(q("limitBytes=0"))).to.throw(/limitBytes/);
    expect(() => parseLogQuery(q("follow=maybe"))).to.throw(/follow/);
    expect(() => parseLogQuery(q("sinceTime=yesterday"))).to.throw(/sinceTime/);
    expect(() => parseLogQuery(q("sinceSeconds=1&sinceTime=1970-01-01T00:00:02Z"))).to.throw(
      /at most one/,
    );
    expect(() => parseLogQuery(q("stream=stdin"))).to.throw(/stream/);
  });

  it("reads exec streams as kubelet does: a TTY has no stderr, and one stream is required", () => {
    expect(parseStreamOptions(q("stdin=1&stdout=1&stderr=1&tty=1"))).to.deep.equal({
      stdin: true,
      stdout: true,
      stderr: false,
      tty: true,
    });
    expect(() => parseStreamOptions(q("tty=true"))).to.throw(/at least 1 of stdin/);
  });

  it("reads repeated and comma-separated ports", () => {
    expect(parsePorts(q("port=80,8080&port=9000"))).to.deep.equal([80, 8080, 9000]);
    expect(() => parsePorts(q(""))).to.throw(/"port" is required/);
    expect(() => parsePorts(q("port=0"))).to.throw(/not a port/);
    expect(() => parsePorts(q("port=http"))).to.throw(/not a port/);
  });
});

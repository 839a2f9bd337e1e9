import { expect } from "chai";
import { PassThrough, Readable, Writable } from "node:stream";
import type { SpdyStream } from "../../../../lib/spdy/connection.js";
import {
  remoteCommandVersion,
  runRemoteCommand,
  RemoteCommandError,
  type RemoteCommandOptions,
  type TerminalSize,
} from "../../../../lib/spdy/remote-command-client.js";
import { spdyPair as loopbackPair } from "../../../support/spdy-pair.js";
import { waitFor } from "../../../support/wait-for.js";

/** A client connection and a fake kubelet-like server side, with helpers for the streams. */
async function spdyPair() {
  const pair = await loopbackPair();
  const { streams } = pair;
  return {
    ...pair,
    types: () => streams.map((s) => s.header("streamtype")),
    /** The streams by type, once `count` of them were opened. */
    async opened(count: number) {
      await waitFor(`${count} streams`, async () => (streams.length >= count ? true : undefined));
      return Object.fromEntries(streams.map((s) => [s.header("streamtype") ?? "", s]));
    },
  };
}

type Pair = Awaited<ReturnType<typeof spdyPair>>;

function collector() {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

function readAll(stream: SpdyStream): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    stream.on("data", (b: Buffer) => (text += b.toString()));
    stream.once("end", () => resolve(text));
  });
}

const success = JSON.stringify({ metadata: {}, status: "Success" });
const exitStatus = (code: number) =>
  JSON.stringify({
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: exit status ${code}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(code) }] },
  });

/** The server's side of a finished command: output, then the outcome, then GOAWAY. */
async function finish(
  pair: Pair,
  streams: Record<string, SpdyStream>,
  outcome: string,
  output: Record<string, string> = {},
) {
  for (const [type, text] of Object.entries(output)) streams[type].write(text);
  for (const type of ["stdout", "stderr"]) streams[type]?.end();
  streams.error.end(outcome);
  pair.server.close();
}

describe("runRemoteCommand (client-go's remotecommand over SPDY)", () => {
  let pair: Pair;
  beforeEach(async () => (pair = await spdyPair()));
  afterEach(() => pair.destroy());

  function run(protocol: string, options: RemoteCommandOptions) {
    return runRemoteCommand(pair.client, protocol, options);
  }

  it("opens error, stdin, stdout, stderr in that order and returns exit code 0 on Success", async () => {
    const out = collector();
    const err = collector();
    const result = run("v4.channel.k8s.io", {
      stdin: Readable.from([]),
      stdout: out.stream,
      stderr: err.stream,
    });
    const streams = await pair.opened(4);
    await finish(pair, streams, success, { stdout: "hello", stderr: "warning" });
    expect(await result).to.deep.equal({ exitCode: 0 });
    expect(pair.types()).to.deep.equal(["error", "stdin", "stdout", "stderr"]);
    expect([out.text(), err.text()]).to.deep.equal(["hello", "warning"]);
    await pair.server.closed;
  });

  it("opens only the streams asked for, each with the streamType header alone", async () => {
    const out = collector();
    const result = run("v4.channel.k8s.io", { stdout: out.stream });
    const streams = await pair.opened(2);
    await finish(pair, streams, success, { stdout: "x" });
    expect(await result).to.deep.equal({ exitCode: 0 });
    expect(pair.types()).to.deep.equal(["error", "stdout"]);
    expect(pair.streams.map((s) => [...s.headers.keys()])).to.deep.equal([
      ["streamtype"],
      ["streamtype"],
    ]);
  });

  it("returns the ExitCode cause of a v4 NonZeroExitCode Status", async () => {
    const result = run("v4.channel.k8s.io", { stdout: collector().stream });
    await finish(pair, await pair.opened(2), exitStatus(3));
    expect(await result).to.deep.equal({ exitCode: 3 });
  });

  it("treats v5 as v4 over SPDY", async () => {
    const result = run("v5.channel.k8s.io", { stdout: collector().stream });
    await finish(pair, await pair.opened(2), exitStatus(42));
    expect(await result).to.deep.equal({ exitCode: 42 });
  });

  it("rejects with the message of any other v4 Failure, keeping the Status", async () => {
    const status = {
      metadata: {},
      status: "Failure",
      message: "Internal error occurred: error executing command in container: no such file",
      reason: "InternalError",
      code: 500,
    };
    const result = run("v4.channel.k8s.io", { stdout: collector().stream });
    await finish(pair, await pair.opened(2), JSON.stringify(status));
    const err = await result.then(
      () => expect.fail("resolved"),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(RemoteCommandError);
    expect((err as RemoteCommandError).message).to.equal(status.message);
    expect((err as RemoteCommandError).status?.reason).to.equal("InternalError");
  });

  it("rejects a v4 error stream that is not a Status, or whose exit code is not one", async () => {
    const cases: [string, RegExp][] = [
      ["oops", /^error stream protocol error: .* in "oops"$/],
      [JSON.stringify({ status: "Maybe" }), /unknown error/],
      [JSON.stringify({ status: "Failure", reason: "NonZeroExitCode" }), /no ExitCode cause/],
      [exitStatus(3).replace('"3"', '"300"'), /invalid exit code value "300"/],
      [exitStatus(3).replace('"3"', '"-1"'), /invalid exit code value "-1"/],
    ];
    for (const [payload, message] of cases) {
      const result = run("v4.channel.k8s.io", { stdout: collector().stream });
      await finish(pair, await pair.opened(2), payload);
      await result.then(
        () => expect.fail(`${payload} resolved`),
        (e: Error) => expect(e.message, payload).to.match(message),
      );
      pair.destroy();
      pair = await spdyPair();
    }
  });

  it("reads v2 plain text as an error, and an empty error stream as success", async () => {
    const failing = run("v2.channel.k8s.io", { stdout: collector().stream });
    await finish(pair, await pair.opened(2), "command terminated with exit status 3");
    await failing.then(
      () => expect.fail("resolved"),
      (e: Error) =>
        expect(e.message).to.equal(
          "error executing remote command: command terminated with exit status 3",
        ),
    );
    pair.destroy();
    pair = await spdyPair();
    const out = collector();
    const ok = run("v2.channel.k8s.io", { stdout: out.stream });
    await finish(pair, await pair.opened(2), "", { stdout: "fine" });
    expect(await ok).to.deep.equal({ exitCode: 0 });
    expect(out.text()).to.equal("fine");
  });

  it("sends stdin and then FIN at its end", async () => {
    const out = collector();
    const result = run("v4.channel.k8s.io", {
      stdin: Readable.from([Buffer.from("one "), Buffer.from("two")]),
      stdout: out.stream,
    });
    const streams = await pair.opened(3);
    // An echoing command: all of stdin comes back once its FIN arrived.
    const input = await readAll(streams.stdin);
    streams.stdin.end();
    await finish(pair, streams, success, { stdout: input.toUpperCase() });
    expect(await result).to.deep.equal({ exitCode: 0 });
    expect(out.text()).to.equal("ONE TWO");
  });

  it("stops copying stdin and closes it when the server ends the stdin stream first", async () => {
    const stdin = new PassThrough();
    stdin.write("typed");
    const result = run("v4.channel.k8s.io", { stdin, stdout: collector().stream });
    const streams = await pair.opened(3);
    const input = readAll(streams.stdin);
    await waitFor("the typed input", async () => (streams.stdin.readableLength ? true : undefined));
    // The command's stdin went away (stdin_once): the client must FIN its side too.
    streams.stdin.end();
    expect(await input).to.equal("typed");
    await finish(pair, streams, success);
    expect(await result).to.deep.equal({ exitCode: 0 });
    // stdin itself is left alone (the caller owns it), just no longer read.
    expect(stdin.destroyed).to.equal(false);
    expect(stdin.listenerCount("data")).to.equal(0);
  });

  it("waits for stdout and stderr to end even when the outcome came first", async () => {
    const out = collector();
    const err = collector();
    const result = run("v4.channel.k8s.io", { stdout: out.stream, stderr: err.stream });
    const streams = await pair.opened(3);
    streams.error.end(exitStatus(7));
    let settled = false;
    void result.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled, "resolved before stdout ended").to.equal(false);
    streams.stdout.end("late out");
    await new Promise((r) => setTimeout(r, 20));
    expect(settled, "resolved before stderr ended").to.equal(false);
    streams.stderr.end("late err");
    expect(await result).to.deep.equal({ exitCode: 7 });
    expect([out.text(), err.text()]).to.deep.equal(["late out", "late err"]);
  });

  it("with a tty opens a resize stream (no stderr) and sends the size and its changes as JSON", async () => {
    let size: TerminalSize = { width: 80, height: 24 };
    let changed: (() => void) | undefined;
    let unsubscribed = false;
    const result = run("v4.channel.k8s.io", {
      stdin: new PassThrough(),
      stdout: collector().stream,
      stderr: collector().stream,
      tty: true,
      terminalSize: {
        current: () => size,
        watch(onChange) {
          changed = onChange;
          return () => (unsubscribed = true);
        },
      },
    });
    const streams = await pair.opened(4);
    expect(pair.types()).to.deep.equal(["error", "stdin", "stdout", "resize"]);
    let resizes = "";
    streams.resize.on("data", (b: Buffer) => (resizes += b.toString()));
    await waitFor("the watch", async () => changed);
    changed?.(); // same size: not sent again
    size = { width: 120, height: 40 };
    changed?.();
    const both = '{"Width":80,"Height":24}\n{"Width":120,"Height":40}\n';
    await waitFor("two sizes", async () => (resizes === both ? true : undefined));
    streams.stdin.end();
    await finish(pair, streams, success);
    expect(await result).to.deep.equal({ exitCode: 0 });
    expect(resizes).to.equal(both);
    expect(unsubscribed).to.equal(true);
  });

  it("opens no resize stream before v3", async () => {
    const result = run("v2.channel.k8s.io", {
      stdout: collector().stream,
      tty: true,
      terminalSize: { current: () => ({ width: 1, height: 1 }) },
    });
    const streams = await pair.opened(2);
    await finish(pair, streams, "");
    expect(await result).to.deep.equal({ exitCode: 0 });
    expect(pair.types()).to.deep.equal(["error", "stdout"]);
  });

  it("fails clearly when a v4 session ends without a Status", async () => {
    const dropped = run("v4.channel.k8s.io", { stdout: collector().stream });
    await finish(pair, await pair.opened(2), "", { stdout: "partial" });
    await dropped.then(
      () => expect.fail("resolved"),
      (e: Error) => expect(e.message).to.match(/connection ended before the command's exit status/),
    );
  });

  it("fails clearly when the connection is gone before the streams are open", async () => {
    pair.server.destroy();
    await pair.client.closed;
    await run("v4.channel.k8s.io", { stdout: collector().stream }).then(
      () => expect.fail("resolved"),
      (e: Error) => expect(e.message).to.match(/^cannot open the error stream: /),
    );
  });

  it("knows the protocol versions", () => {
    expect(
      ["v5.channel.k8s.io", "v4.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io", ""].map(
        remoteCommandVersion,
      ),
    ).to.deep.equal([5, 4, 2, 1, 1]);
    expect(() => remoteCommandVersion("portforward.k8s.io")).to.throw(/unknown remote command/);
  });
});

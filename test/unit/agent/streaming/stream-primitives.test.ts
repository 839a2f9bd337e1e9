import { expect } from "chai";
import net from "node:net";
import { connectPodPort } from "../../../../agent/runtime/container/port-forward.js";
import { spawnInPty } from "../../../../agent/runtime/container/pty-helper.js";
import { hasTool } from "../../../support/prerequisites.js";

function collect(stream: NodeJS.ReadableStream): () => string {
  let text = "";
  stream.on("data", (b: Buffer) => (text += b.toString()));
  return () => text;
}

const exitCode = (child: ReturnType<typeof spawnInPty>["child"]) =>
  new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));

describe("streaming primitives", () => {
  describe("a command on a pseudo-terminal", function () {
    before(function () {
      if (!hasTool("perl")) this.skip();
    });

    it("has a terminal of the asked size and reports the command's exit code", async () => {
      const pty = spawnInPty(["/bin/sh", "-c", "stty size; test -t 0 && echo on-a-tty; exit 7"], {
        size: { width: 100, height: 30 },
        input: false,
      });
      const output = collect(pty.output);
      expect(await exitCode(pty.child)).to.equal(7);
      expect(output()).to.equal("30 100\r\non-a-tty\r\n");
    });

    it("relays keystrokes, echoed by the terminal, and resizes it", async () => {
      const pty = spawnInPty(["/bin/sh"], { size: { width: 80, height: 24 }, input: true });
      const output = collect(pty.output);
      pty.input!.write("stty size\n");
      await waitUntil(() => output().includes("24 80"));
      pty.resize({ width: 132, height: 50 });
      await new Promise((r) => setTimeout(r, 100));
      pty.input!.write("stty size; exit\n");
      expect(await exitCode(pty.child)).to.equal(0);
      expect(output()).to.include("stty size\r\n").and.to.include("50 132\r\n");
    });

    it("says why a command could not start", async () => {
      const pty = spawnInPty(["/nonexistent/cmd"], { input: false });
      const errors = collect(pty.errors);
      expect(await exitCode(pty.child)).to.not.equal(0);
      expect(errors()).to.match(/exec \/nonexistent\/cmd/);
    });
  });

  describe("a port connection on the host's network", () => {
    let server: net.Server;
    let port: number;
    before(async () => {
      server = net.createServer((socket) => socket.on("data", (d) => socket.end(`echo:${d}`)));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as net.AddressInfo).port;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("carries bytes both ways until the other side closes", async () => {
      const connection = connectPodPort(undefined, port);
      const output = collect(connection.output);
      connection.input.write("ping");
      await connection.closed;
      expect(output()).to.equal("echo:ping");
    });

    it("fails with Unavailable when nothing listens, and rejects impossible ports", async () => {
      const closedPort = await new Promise<number>((resolve) => {
        const probe = net.createServer().listen(0, "127.0.0.1", () => {
          const free = (probe.address() as net.AddressInfo).port;
          probe.close(() => resolve(free));
        });
      });
      const err = await connectPodPort(undefined, closedPort).closed.then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err).to.have.property("kind", "Unavailable");
      expect(() => connectPodPort(undefined, 70000)).to.throw(/between 1 and 65535/);
    });
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!check()) throw new Error("timed out");
}

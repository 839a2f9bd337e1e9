import { expect } from "chai";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { resolveLogLevel, withoutCredentials } from "../../../lib/logger.js";

const berthBin = fileURLToPath(new URL("../../../../bin/berth", import.meta.url));

/** `berth <args>` with `env` added: its exit code and stderr. */
function berth(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(berthBin, args, {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, ...env },
    });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("lib/logger", () => {
  describe("log level", () => {
    it("takes the flag, else BERTH_LOG_LEVEL, else info", () => {
      expect(resolveLogLevel("debug", "warn")).to.equal("debug");
      expect(resolveLogLevel("WARN", undefined)).to.equal("warn");
      expect(resolveLogLevel(undefined, "error")).to.equal("error");
      expect(resolveLogLevel(undefined, undefined)).to.equal("info");
      expect(resolveLogLevel(undefined, "")).to.equal("info");
    });

    it("rejects a value that is not a level, naming where it came from", () => {
      expect(() => resolveLogLevel("loud", undefined)).to.throw(
        '--log-level: "loud" is not a log level (error, warn, info, debug)',
      );
      expect(() => resolveLogLevel(undefined, "verbose")).to.throw(
        'BERTH_LOG_LEVEL: "verbose" is not a log level',
      );
    });

    // Each also gets a bad flag its action checks right after the level: were the level not
    // checked first, the command would fail on that one instead (and never start anything).
    const commands: Record<string, string[]> = {
      controller: ["--listen", "nowhere"],
      agent: ["--pull-stall-timeout", "0"],
      up: ["--api-port", "nowhere"],
    };
    for (const [command, rest] of Object.entries(commands)) {
      it(`berth ${command} --log-level with a bad value exits non-zero before starting`, async function () {
        this.timeout(20_000);
        const flag = await berth([command, "--log-level", "loud", ...rest]);
        expect(flag.code).to.equal(1);
        expect(flag.stderr).to.include('--log-level: "loud" is not a log level');
        const env = await berth([command, ...rest], {
          BERTH_LOG_LEVEL: "chatty",
        });
        expect(env.code).to.equal(1);
        expect(env.stderr).to.include('BERTH_LOG_LEVEL: "chatty" is not a log level');
      });
    }
  });

  describe("credential masking", () => {
    const mask = (entry: Record<string, unknown>) =>
      withoutCredentials().transform({ level: "info", message: "m", ...entry }) as Record<
        string,
        unknown
      >;

    it("masks credential fields at the top level and in nested objects, case-insensitively", () => {
      const out = mask({
        Authorization: "Bearer abc",
        headers: { authorization: "Bearer abc", "user-agent": "kubectl" },
        user: { name: "alice", token: "abc", password: "pw" },
        kubeconfig: { users: [{ user: { "client-key-data": "LS0t" } }] },
      });
      expect(out.Authorization).to.equal("[redacted]");
      expect(out.headers).to.deep.equal({ authorization: "[redacted]", "user-agent": "kubectl" });
      expect(out.user).to.deep.equal({
        name: "alice",
        token: "[redacted]",
        password: "[redacted]",
      });
      expect(out.kubeconfig).to.deep.equal({
        users: [{ user: { "client-key-data": "[redacted]" } }],
      });
    });

    it("leaves ordinary fields alone (an object key is not a credential)", () => {
      const out = mask({ key: "ns/name", queue: "replicaset", code: 201 });
      expect(out).to.deep.include({ key: "ns/name", queue: "replicaset", code: 201 });
    });
  });
});

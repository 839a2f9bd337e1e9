import { expect } from "chai";
import { run } from "../../../lib/exec.js";

describe("lib/exec run", () => {
  it("returns stdout of a successful program", async () => {
    const result = await run("/bin/sh", ["-c", "echo hello"]);
    expect(result.stdout).to.equal("hello\n");
    expect(result.code).to.equal(0);
  });

  it("fails with the captured stderr and exit code", async () => {
    const err = await run("/bin/sh", ["-c", "echo broken >&2; exit 3"]).catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    expect((err as Error).message).to.match(/exit 3: broken/);
  });

  it("kills a program that outlives its timeout", async () => {
    const started = Date.now();
    const err = await run("/bin/sleep", ["10"], { timeoutMs: 100 }).catch((e: Error) => e);
    expect((err as { kind?: string }).kind).to.equal("DeadlineExceeded");
    expect(Date.now() - started).to.be.lessThan(5000);
  });

  it("reports a missing program as NotFound", async () => {
    const err = await run("/nonexistent/program", []).catch((e: Error) => e);
    expect((err as { kind?: string }).kind).to.equal("NotFound");
  });
});

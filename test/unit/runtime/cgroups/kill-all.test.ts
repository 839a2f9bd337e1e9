import { expect } from "chai";
import { killAll } from "../../../../agent/runtime/cgroups/kill-all.js";

const esrch = () => Object.assign(new Error("ESRCH"), { code: "ESRCH" });

describe("killAll", () => {
  it("without a freezer, repeats SIGKILL until no new process appears", async () => {
    // A fork loop: each round of kills finds the children forked since the last one.
    const rounds = [[1, 2], [2, 3, 4], [5], []];
    let round = 0;
    const sent: number[] = [];
    const n = await killAll({
      pids: async () => rounds[Math.min(round, rounds.length - 1)],
      signal: "SIGKILL",
      kill: (pid) => void sent.push(pid),
      sleep: async () => void round++,
    });
    expect(n).to.equal(5);
    expect(sent).to.deep.equal([1, 2, 2, 3, 4, 5]);
  });

  it("sends other signals once, skips processes already gone, and never signals itself", async () => {
    const sent: number[] = [];
    const n = await killAll({
      pids: async () => [process.pid, 10, 11],
      signal: "SIGTERM",
      kill: (pid) => {
        if (pid === 11) throw esrch();
        sent.push(pid);
      },
      sleep: async () => undefined,
    });
    expect(n).to.equal(1);
    expect(sent).to.deep.equal([10]);
  });

  it("thaws even when signalling fails", async () => {
    const events: string[] = [];
    const failure = await killAll({
      freezer: {
        freeze: async () => (events.push("freeze"), true),
        thaw: async () => void events.push("thaw"),
      },
      pids: async () => [10],
      signal: "SIGKILL",
      kill: () => {
        throw Object.assign(new Error("EPERM"), { code: "EPERM" });
      },
      sleep: async () => undefined,
    }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(failure?.message).to.equal("cannot send SIGKILL to process 10: EPERM");
    expect(events).to.deep.equal(["freeze", "thaw"]);
  });
});

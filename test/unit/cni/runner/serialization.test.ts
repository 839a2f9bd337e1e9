import { expect } from "chai";
import { attachment, runnerFixture } from "./runner-fixture.js";

describe("CniRunner serialization", () => {
  let f: ReturnType<typeof runnerFixture>;
  beforeEach(() => {
    f = runnerFixture();
    f.plugins.write("slow", { sleep: { ADD: 0.4 } });
  });
  afterEach(() => f.remove());

  it("never overlaps two operations of one container, but runs different containers at once", async () => {
    f.writeList([{ type: "slow" }]);
    const runner = f.runner();
    const started = Date.now();
    await Promise.all([
      runner.add(attachment("c1")),
      runner.del(attachment("c1")),
      runner.add(attachment("c2")),
    ]);
    const elapsed = Date.now() - started;
    const c1 = f.plugins
      .lines()
      .filter((c) => c.containerId === "c1")
      .map((c) => `${c.command} ${c.phase}`);
    expect(c1).to.deep.equal(["ADD start", "ADD end", "DEL start"]);
    expect(elapsed).to.be.below(750, "the ADDs of c1 and c2 should overlap");
  });

  it("holds GC until running ADDs finish, and ADDs behind a waiting GC", async () => {
    f.writeList([{ type: "slow" }], { cniVersion: "1.1.0" });
    const runner = f.runner();
    await runner.network();
    const order: string[] = [];
    const add1 = runner.add(attachment("c1")).then(() => order.push("add c1"));
    await new Promise((r) => setTimeout(r, 50));
    const gc = runner.gc([{ containerID: "c1", ifname: "eth0" }]).then(() => order.push("gc"));
    const add2 = runner.add(attachment("c2")).then(() => order.push("add c2"));
    await Promise.all([add1, gc, add2]);
    expect(order).to.deep.equal(["add c1", "gc", "add c2"]);
  });
});

import { expect } from "chai";
import { readFileSync } from "node:fs";
import { tempDir } from "../../../support/temp-dir.js";
import { ReservationStore } from "../../../../cni/plugins/host-local/store.js";

describe("host-local reservation store", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir("cni-store")));
  afterEach(() => dir.remove());

  it("writes the reference file layout and finds reservations by attachment", async () => {
    const store = new ReservationStore(`${dir.path}/net`);
    await store.locked(() => {
      expect(store.reserve("10.242.0.2", "c1", "eth0", 0)).to.equal(true);
      expect(store.reserve("10.242.0.2", "c2", "eth0", 0)).to.equal(false);
      expect(store.reserve("10.242.0.3", "c1", "eth1", 0)).to.equal(true);
    });
    expect(readFileSync(`${dir.path}/net/10.242.0.2`, "utf8")).to.equal("c1\r\neth0");
    expect(readFileSync(`${dir.path}/net/last_reserved_ip.0`, "utf8")).to.equal("10.242.0.3");
    expect(store.lastReserved(0)).to.equal("10.242.0.3");
    expect(store.byAttachment("c1", "eth1").map((r) => r.ip)).to.deep.equal(["10.242.0.3"]);
    store.release("10.242.0.3");
    expect(store.list().map((r) => r.ip)).to.deep.equal(["10.242.0.2"]);
  });

  it("serializes concurrent operations on the lock file", async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        new ReservationStore(`${dir.path}/net`).locked(async () => {
          most = Math.max(most, ++inside);
          await new Promise((r) => setTimeout(r, 10));
          inside--;
        }),
      ),
    );
    expect(most).to.equal(1);
  });
});

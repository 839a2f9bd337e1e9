import { expect } from "chai";
import { parseNetDev, readNetworkStats } from "../../../../../agent/kubelet/pod-network-stats.js";

const netDev = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    1200      12    0    0    0     0          0         0     1200      12    0    0    0     0       0          0
  eth0:  987654     321    2    0    0     0          0         0   123456     210    1    0    0     0       0          0
`;

describe("kubelet stats: a pod's network counters from /proc/<pid>/net/dev", () => {
  it("reads each interface but loopback", () => {
    expect(parseNetDev(netDev)).to.deep.equal([
      { name: "eth0", rxBytes: 987654, rxErrors: 2, txBytes: 123456, txErrors: 1 },
    ]);
  });

  it("skips lines that do not parse", () => {
    expect(parseNetDev(`${netDev}  eth1: 1 2 3\ngarbage\n`)).to.have.length(1);
  });

  it("reads this process's namespace, and answers undefined for a process that is gone", async () => {
    expect(await readNetworkStats(process.pid)).to.be.an("array");
    expect(await readNetworkStats(2 ** 22 + 7)).to.equal(undefined);
  });
});

import { expect } from "chai";
import { parseNetDevCounters } from "../../../../../agent/kubelet/cadvisor/net-dev.js";

const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:  500       5    0    0    0     0          0         0      500       5    0    0    0     0       0          0
  eth0: 1000      10    1    2    0     0          0         0     2000      20    3    4    0     0       0          0
 bad: 1 2 3
net1:7 8 9 10 0 0 0 0 11 12 13 14 0 0 0 0
`;

describe("cadvisor /proc/net/dev reader", () => {
  it("reads bytes, packets, errors and drops each way, leaving loopback and bad lines out", () => {
    expect(parseNetDevCounters(text)).to.deep.equal([
      {
        name: "eth0",
        rxBytes: 1000,
        rxPackets: 10,
        rxErrors: 1,
        rxDropped: 2,
        txBytes: 2000,
        txPackets: 20,
        txErrors: 3,
        txDropped: 4,
      },
      {
        name: "net1",
        rxBytes: 7,
        rxPackets: 8,
        rxErrors: 9,
        rxDropped: 10,
        txBytes: 11,
        txPackets: 12,
        txErrors: 13,
        txDropped: 14,
      },
    ]);
  });
});

import { expect } from "chai";
import { podSysctls } from "../../../agent/runtime/sandbox/sysctls.js";

const all = new Set(["net", "ipc", "uts"] as const);

describe("pod sysctls", () => {
  it("maps namespaced sysctls, dotted or slashed, to /proc/sys paths", () => {
    expect(
      podSysctls({ "kernel.shm_rmid_forced": "1", "fs/mqueue/msg_max": "100" }, all),
    ).to.deep.equal([
      { path: "kernel/shm_rmid_forced", value: "1" },
      { path: "fs/mqueue/msg_max", value: "100" },
    ]);
    expect(podSysctls({ "net.ipv4.ip_unprivileged_port_start": "0" }, all)[0].path).to.equal(
      "net/ipv4/ip_unprivileged_port_start",
    );
  });

  it("refuses sysctls that are not namespaced, naming the field", () => {
    expect(() => podSysctls({ "vm.swappiness": "10" }, all)).to.throw(
      /linux\.sysctls\[vm\.swappiness\]: not a namespaced sysctl/,
    );
  });

  it("refuses a net sysctl for a pod on the host network", () => {
    expect(() => podSysctls({ "net.core.somaxconn": "1024" }, new Set(["ipc"] as const))).to.throw(
      /shares the host's net namespace/,
    );
  });

  it("refuses names that could climb out of /proc/sys", () => {
    expect(() => podSysctls({ "net/../../etc": "x" }, all)).to.throw(/invalid sysctl name/);
  });
});

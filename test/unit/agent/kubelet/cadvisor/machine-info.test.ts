import { expect } from "chai";
import { deviceOf } from "../../../../../agent/kubelet/cadvisor/fs-device.js";
import { readMachineInfo } from "../../../../../agent/kubelet/cadvisor/machine-info.js";

describe("cadvisor machine facts and filesystem device", () => {
  it("counts logical CPUs, reads MemTotal, ids and boot time", async () => {
    const files: Record<string, string> = {
      "/proc/stat": "cpu  1 2 3\ncpu0 1 1 1\ncpu1 1 1 1\ncpu2 0 0 0\nintr 5\nbtime 1690000000\n",
      "/proc/meminfo": "MemTotal:       2048 kB\nMemFree: 1 kB\n",
      "/etc/machine-id": "abc\n",
      "/proc/sys/kernel/random/boot_id": "boot-1\n",
    };
    const info = await readMachineInfo(async (f) => files[f] ?? "");
    expect(info).to.deep.equal({
      cpuCores: 3,
      memoryBytes: 2048 * 1024,
      machineId: "abc",
      systemUuid: "",
      bootId: "boot-1",
      bootTimeSeconds: 1690000000,
    });
  });

  it("fails clearly without MemTotal", async () => {
    await readMachineInfo(async () => "").then(
      () => expect.fail("expected an error"),
      (err: Error) => expect(err.message).to.match(/MemTotal/),
    );
  });

  it("finds the device of the longest mount point holding a directory", () => {
    const mountinfo = [
      "22 1 252:1 / / rw,relatime - ext4 /dev/vda1 rw",
      "40 22 252:16 / /var/lib rw,relatime - xfs /dev/vdb rw",
      "41 40 0:50 / /var/lib/with\\040space rw - tmpfs tmp\\040fs rw",
      "42 22 252:32 / /var/libx rw - ext4 /dev/vdc rw",
    ].join("\n");
    expect(deviceOf("/var/lib/berth", mountinfo)).to.equal("/dev/vdb");
    expect(deviceOf("/var/lib", mountinfo)).to.equal("/dev/vdb");
    expect(deviceOf("/var/lib/with space/x", mountinfo)).to.equal("tmp fs");
    expect(deviceOf("/srv", mountinfo)).to.equal("/dev/vda1");
  });
});

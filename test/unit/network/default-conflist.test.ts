import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { defaultNetwork, ensureDefaultConflist } from "../../../agent/network/default-conflist.js";
import { cniPortMappings } from "../../../agent/network/port-mappings.js";
import { tempDir } from "../../support/temp-dir.js";

describe("the agent's default CNI network", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir("default-conflist")));
  afterEach(() => dir.remove());

  it("writes Berth's bridge, IPAM and portmap chain into an empty config dir", async () => {
    const confDir = path.join(dir.path, "net.d");
    const file = await ensureDefaultConflist(confDir, defaultNetwork("/var/lib/berth"));
    expect(file).to.equal(path.join(confDir, "10-berth.conflist"));
    const list = JSON.parse(await fs.readFile(file!, "utf8"));
    expect(list.name).to.equal("berth");
    expect(list.plugins.map((p: { type: string }) => p.type)).to.deep.equal([
      "berth-bridge",
      "berth-portmap",
    ]);
    expect(list.plugins[0].bridge).to.equal("berth0");
    expect(list.plugins[0].ipam).to.deep.include({
      type: "berth-host-local",
      dataDir: "/var/lib/berth/cni/networks",
    });
    expect(list.plugins[1].capabilities).to.deep.equal({ portMappings: true });
  });

  it("leaves a config dir that already has a network alone", async () => {
    const confDir = path.join(dir.path, "net.d");
    await fs.mkdir(confDir);
    await fs.writeFile(path.join(confDir, "05-mine.conf"), "{}");
    expect(await ensureDefaultConflist(confDir, defaultNetwork("/x"))).to.equal(undefined);
    expect(await fs.readdir(confDir)).to.deep.equal(["05-mine.conf"]);
  });

  it("maps only the pod's ports that have a host port, with lower-case protocols", () => {
    expect(
      cniPortMappings([
        { protocol: "TCP", container_port: 80, host_port: 8080, host_ip: "" },
        { protocol: "UDP", container_port: 53, host_port: 5353, host_ip: "127.0.0.1" },
        { protocol: "TCP", container_port: 9000, host_port: 0, host_ip: "" },
      ]),
    ).to.deep.equal([
      { hostPort: 8080, containerPort: 80, protocol: "tcp", hostIP: "" },
      { hostPort: 5353, containerPort: 53, protocol: "udp", hostIP: "127.0.0.1" },
    ]);
  });
});

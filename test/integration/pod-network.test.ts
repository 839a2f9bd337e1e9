import { expect } from "chai";
import { promises as fs } from "node:fs";
import net from "node:net";
import path from "node:path";
import { run } from "../../lib/exec.js";
import { criHarness, type Pod } from "../support/cri-harness.js";
import { waitFor } from "../support/wait-for.js";

const text = (b: Buffer | Uint8Array) => Buffer.from(b).toString();

/** Reads what a TCP server at host:port sends, from the host. */
function readFrom(host: string, port: number, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`timeout on ${host}:${port}`)));
    socket.on("data", (b) => (data += b.toString()));
    socket.on("end", () => resolve(data));
    socket.on("error", reject);
  });
}

/** A port nothing on this machine listens on (a portmap rule would capture it from every local client). */
async function freeHostPort(): Promise<number> {
  const { stdout } = await run("ss", ["-Htanu"]);
  const used = new Set(stdout.split("\n").map((l) => Number(l.split(/\s+/)[4]?.split(":").pop())));
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if (!used.has(port)) return port;
  }
}

describe("pod networking: CNI through the agent", function () {
  const h = criHarness("pod-network", undefined, ["ip", "iptables-save", "ss"]);
  const server = "while :; do echo hello-from-$HOSTNAME | busybox nc -l -p 8080; done";

  const podIp = async (pod: Pod) =>
    (await h.cri.runtime("PodSandboxStatus", { pod_sandbox_id: pod.id })).status.network
      .ip as string;
  const ipamFiles = async () =>
    (
      await fs.readdir(path.join(h.base.path, "cni", "networks", h.network.name)).catch(() => [])
    ).filter((f: string) => /^\d+\.\d+\.\d+\.\d+$/.test(f));

  it("reports NetworkReady from the CNI config", async () => {
    const { status } = await h.cri.runtime("Status", {});
    const network = status.conditions.find((c: { type: string }) => c.type === "NetworkReady");
    expect(network.status, network.message).to.equal(true);
  });

  it("gives each pod an address on the bridge: pod to pod and host to pod over TCP", async () => {
    const a = await h.runPod("net-a", { hostname: "net-a" });
    const b = await h.runPod("net-b", { hostname: "net-b" });
    const [ipA, ipB] = [await podIp(a), await podIp(b)];
    expect(ipA.startsWith(h.network.prefix), ipA).to.equal(true);
    expect(ipB.startsWith(h.network.prefix), ipB).to.equal(true);
    expect(ipA).to.not.equal(ipB);

    await h.runContainer(a, "server", server);
    const client = await h.runContainer(b, "client", "sleep 300");
    const reply = await waitFor("pod b to reach pod a", async () => {
      const res = await h.exec(client, ["busybox", "nc", "-w", "2", ipA, "8080"], 5);
      return text(res.stdout).includes("hello") ? text(res.stdout) : undefined;
    });
    expect(reply.trim()).to.equal("hello-from-net-a");
    expect((await readFrom(ipA, 8080)).trim()).to.equal("hello-from-net-a");

    const inside = await h.exec(client, ["busybox", "ip", "-o", "-4", "addr", "show", "eth0"]);
    expect(text(inside.stdout)).to.include(`${ipB}/24`);
  });

  it("maps a host port to the pod, reachable from the host's loopback, and unmaps it on stop", async () => {
    const port = await freeHostPort();
    const pod = await h.runPod("hostport", {
      hostname: "hostport",
      port_mappings: [{ protocol: "TCP", container_port: 8080, host_port: port }],
    });
    await h.runContainer(pod, "server", server);
    const reply = await waitFor("the host port to answer", () =>
      readFrom("127.0.0.1", port).catch(() => undefined),
    );
    expect(reply.trim()).to.equal("hello-from-hostport");
    expect((await run("iptables-save", ["-t", "nat"])).stdout).to.include(`--dport ${port}`);

    await h.cri.runtime("StopPodSandbox", { pod_sandbox_id: pod.id });
    expect((await run("iptables-save", ["-t", "nat"])).stdout).to.not.include(`--dport ${port}`);
    expect(await podIp(pod)).to.equal("");
  });

  it("releases the address on stop, once, and leaves no veth behind on remove", async () => {
    const before = await ipamFiles();
    const links = async () =>
      (await fs.readdir("/sys/class/net")).filter((l) => l.startsWith("veth"));
    const linksBefore = await links();
    const pod = await h.runPod("released");
    const ip = await podIp(pod);
    expect(await ipamFiles()).to.include(ip);
    await h.cri.runtime("StopPodSandbox", { pod_sandbox_id: pod.id });
    await h.cri.runtime("StopPodSandbox", { pod_sandbox_id: pod.id });
    expect(await ipamFiles()).to.deep.equal(before);
    await h.cri.runtime("RemovePodSandbox", { pod_sandbox_id: pod.id });
    expect(await links()).to.have.members(linksBefore);
  });

  it("gives 20 pods created at once 20 distinct addresses", async () => {
    const pods = await Promise.all(Array.from({ length: 20 }, (_, i) => h.runPod(`many-${i}`)));
    const ips = await Promise.all(pods.map(podIp));
    expect(new Set(ips).size).to.equal(20);
    for (const ip of ips) expect(ip.startsWith(h.network.prefix), ip).to.equal(true);
  });

  it("after a crash between ADD and the pod's record, frees the address on restart: rollback and GC", async () => {
    const kept = await h.runPod("gc-kept");
    const halfDone = await h.runPod("gc-half");
    const unrecorded = await h.runPod("gc-lost");
    const ips = await Promise.all([kept, halfDone, unrecorded].map(podIp));
    await h.killAgent();
    const recordDir = (pod: Pod) => path.join(h.base.path, "root", "sandboxes", pod.id);
    // Cut short after the ADD: the record still says "creating", so recovery rolls it back.
    const record = path.join(recordDir(halfDone), "record.json");
    const saved = JSON.parse(await fs.readFile(record, "utf8"));
    await fs.writeFile(record, JSON.stringify({ ...saved, state: "creating" }));
    // No record at all: only the CNI cache knows the attachment, and GC frees it.
    await fs.rm(recordDir(unrecorded), { recursive: true });
    await h.startAgent();
    const files = await ipamFiles();
    expect(files).to.include(ips[0]);
    expect(files).to.not.include(ips[1]);
    expect(files).to.not.include(ips[2]);
    expect(await podIp(kept)).to.equal(ips[0]);
    const cache = await fs.readdir(path.join(h.base.path, "root", "cni", "results"));
    expect(cache.filter((f) => f.includes(unrecorded.id) || f.includes(halfDone.id))).to.deep.equal(
      [],
    );
  });

  it("fails RunPodSandbox with the CNI error, half-attaching nothing, while the config is bad", async () => {
    const bad = path.join(h.network.confDir, "00-bad.conflist");
    await fs.writeFile(bad, '{"cniVersion": "1.1.0", "name": "broken", "plugins": [');
    try {
      const before = await ipamFiles();
      const err = await h.runPod("badconf").catch((e) => e);
      expect(err.details).to.match(/00-bad\.conflist/);
      const { status } = await h.cri.runtime("Status", {});
      const network = status.conditions.find((c: { type: string }) => c.type === "NetworkReady");
      expect(network.status).to.equal(false);
      expect(network.message).to.match(/00-bad\.conflist/);
      expect((await h.cri.runtime("ListPodSandbox", {})).items).to.deep.equal([]);
      expect(await ipamFiles()).to.deep.equal(before);

      await fs.writeFile(
        bad,
        JSON.stringify({
          cniVersion: "1.1.0",
          name: "broken",
          plugins: [{ type: "no-such-plugin" }],
        }),
      );
      const missing = await h.runPod("badplugin").catch((e) => e);
      expect(missing.details).to.match(/no-such-plugin/);
      expect((await h.cri.runtime("ListPodSandbox", {})).items).to.deep.equal([]);

      const overlapping = JSON.parse(
        await fs.readFile(path.join(h.network.confDir, "10-test.conflist"), "utf8"),
      );
      const subnet = h.network.subnet;
      overlapping.plugins[0].ipam.ranges = [
        [{ subnet }],
        [{ subnet: subnet.replace("/24", "/25") }],
      ];
      await fs.writeFile(bad, JSON.stringify(overlapping));
      const veths = async () =>
        (await fs.readdir("/sys/class/net")).filter((l) => l.startsWith("veth"));
      const vethsBefore = await veths();
      const overlap = await h.runPod("overlap").catch((e) => e);
      expect(overlap.details).to.match(/overlaps/);
      expect((await h.cri.runtime("ListPodSandbox", {})).items).to.deep.equal([]);
      expect(await veths()).to.have.members(vethsBefore);
      expect(await ipamFiles()).to.deep.equal(before);
    } finally {
      await fs.rm(bad, { force: true });
    }
  });
});

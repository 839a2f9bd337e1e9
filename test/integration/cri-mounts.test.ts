import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { run } from "../../lib/exec.js";
import { criHarness, grpcCode } from "../support/cri-harness.js";
import { waitFor } from "../support/wait-for.js";

const text = (b: Buffer | Uint8Array) => Buffer.from(b).toString();

describe("CRI containers: host mounts, propagation and devices", function () {
  const h = criHarness("cri-mounts", undefined, ["mount", "umount"]);
  const hostMounts: string[] = [];
  let dir: string;

  before(async () => {
    dir = path.join(h.base.path, "volumes");
    await fs.mkdir(path.join(dir, "data"), { recursive: true });
    await fs.writeFile(path.join(dir, "data", "hello"), "from the host\n");
    await fs.symlink(path.join(dir, "data"), path.join(dir, "link"));
  });

  // After the harness's own afterEach has removed the pods that use them.
  afterEach(async () => {
    for (const m of hostMounts.splice(0).reverse()) {
      await run("umount", ["-R", m]).catch(() => undefined);
    }
  });

  /** A host directory that is its own shared mount point, as a node's kubelet dir would be. */
  const sharedDir = async (name: string) => {
    const p = path.join(dir, name);
    await fs.mkdir(p, { recursive: true });
    await run("mount", ["--bind", p, p]);
    hostMounts.push(p);
    await run("mount", ["--make-shared", p]);
    return p;
  };

  const mount = (hostPath: string, containerPath: string, extra: Record<string, unknown> = {}) => ({
    host_path: hostPath,
    container_path: containerPath,
    ...extra,
  });

  it("binds a host directory read-write, read-only, and through a symlinked host path", async () => {
    const pod = await h.runPod("binds");
    const id = await h.runContainer(pod, "user", "sleep 300", {
      mounts: [
        mount(path.join(dir, "data"), "/rw"),
        mount(path.join(dir, "data"), "/ro", { readonly: true }),
        mount(path.join(dir, "link"), "/via-link"),
      ],
    });
    expect(text((await h.exec(id, ["cat", "/rw/hello"])).stdout)).to.equal("from the host\n");
    expect(text((await h.exec(id, ["cat", "/via-link/hello"])).stdout)).to.equal("from the host\n");
    const write = await h.exec(id, ["/bin/sh", "-c", "echo back > /rw/written"]);
    expect(write.exit_code).to.equal(0);
    expect(await fs.readFile(path.join(dir, "data", "written"), "utf8")).to.equal("back\n");
    const denied = await h.exec(id, ["/bin/sh", "-c", "echo no > /ro/denied"]);
    expect(denied.exit_code).to.not.equal(0);
    expect(text(denied.stderr)).to.match(/Read-only file system/);

    const { status } = await h.cri.runtime("ContainerStatus", { container_id: id });
    expect(status.mounts.map((m: { container_path: string }) => m.container_path)).to.deep.equal([
      "/rw",
      "/ro",
      "/via-link",
    ]);
  });

  it("propagates host mounts into a HOST_TO_CONTAINER volume, and container mounts out of a BIDIRECTIONAL one", async () => {
    const slave = await sharedDir("slave");
    const shared = await sharedDir("shared");
    const pod = await h.runPod("propagation", {
      linux: { security_context: { privileged: true } },
    });
    const id = await h.runContainer(pod, "mounter", "sleep 300", {
      mounts: [
        mount(slave, "/slave", { propagation: "PROPAGATION_HOST_TO_CONTAINER" }),
        mount(shared, "/shared", { propagation: "PROPAGATION_BIDIRECTIONAL" }),
      ],
      linux: { security_context: { privileged: true } },
    });

    const later = path.join(slave, "later");
    await fs.mkdir(later);
    await run("mount", ["-t", "tmpfs", "-o", "size=1m", "berth-test-later", later]);
    hostMounts.push(later);
    await fs.writeFile(path.join(later, "marker"), "host side\n");
    expect(text((await h.exec(id, ["cat", "/slave/later/marker"])).stdout)).to.equal("host side\n");

    const inner = await h.exec(id, [
      "/bin/sh",
      "-c",
      "mkdir -p /shared/inner && busybox mount -t tmpfs berth-test-inner /shared/inner && echo in > /shared/inner/marker",
    ]);
    expect(inner.exit_code, text(inner.stderr)).to.equal(0);
    hostMounts.push(path.join(shared, "inner"));
    const seen = await waitFor("the container's mount on the host", () =>
      fs.readFile(path.join(shared, "inner", "marker"), "utf8").catch(() => undefined),
    );
    expect(seen).to.equal("in\n");
  });

  it("maps a host device into the container", async () => {
    const pod = await h.runPod("devices");
    const id = await h.runContainer(pod, "dev", "sleep 300", {
      devices: [{ host_path: "/dev/null", container_path: "/dev/berthnull", permissions: "rwm" }],
    });
    const st = await h.exec(id, ["stat", "-c", "%F %t:%T", "/dev/berthnull"]);
    expect(text(st.stdout).trim()).to.equal("character special file 1:3");
    const write = await h.exec(id, ["/bin/sh", "-c", "echo x > /dev/berthnull"]);
    expect(write.exit_code, text(write.stderr)).to.equal(0);
  });

  it("rejects a missing host path, a relative container path and a device that does not exist, naming the field", async () => {
    const pod = await h.runPod("badmounts");
    const bad = async (extra: Record<string, unknown>) =>
      h
        .createContainer(pod, "bad", "true", extra)
        .then(() => expect.fail("CreateContainer accepted a bad mount"))
        .catch((e) => e);
    const missing = await bad({ mounts: [mount(path.join(dir, "absent"), "/x")] });
    expect(missing.code).to.equal(grpcCode.INVALID_ARGUMENT);
    expect(missing.details).to.match(/mounts\[0\]\.host_path/);
    const relative = await bad({ mounts: [mount(path.join(dir, "data"), "x")] });
    expect(relative.code).to.equal(grpcCode.INVALID_ARGUMENT);
    expect(relative.details).to.match(/mounts\[0\]\.container_path/);
    const device = await bad({
      devices: [{ host_path: "/dev/berth-absent", container_path: "/dev/x", permissions: "rwm" }],
    });
    expect(device.code).to.equal(grpcCode.INVALID_ARGUMENT);
    expect(device.details).to.match(/devices\[0\]/);
  });
});

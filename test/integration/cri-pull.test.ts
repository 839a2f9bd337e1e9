import { expect } from "chai";
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { startAgent, type RunningAgent } from "../../agent/agent.js";
import { run } from "../../lib/exec.js";
import { silentLogger } from "../../lib/logger.js";
import { busyboxOneLayer } from "../fixtures/busybox-image.js";
import type { FixtureImage } from "../fixtures/fixture-image.js";
import { writeOciLayout } from "../fixtures/oci-layout-writer.js";
import { berthBin } from "../support/agent-process.js";
import { removeCgroupEverywhere } from "../support/cgroup-leaks.js";
import { criClient, type CriClient } from "../support/cri-client.js";
import { criHarness, grpcCode } from "../support/cri-harness.js";
import { requireIntegration } from "../support/prerequisites.js";
import { startRegistry, type TestRegistry } from "../support/registry-server.js";
import { tempDir } from "../support/temp-dir.js";

/** Pushes `image` to the registry with skopeo (the peer client), as repo:tag on it. */
async function push(
  base: string,
  registry: TestRegistry,
  image: FixtureImage,
  repoTag: string,
  creds?: string,
) {
  const layout = path.join(base, `push-${repoTag.replace(/[/:]/g, "-")}`);
  await writeOciLayout(layout, [{ image, refNames: ["push:me"] }]);
  const ref = `${registry.host}/${repoTag}`;
  await run(
    "skopeo",
    [
      "copy",
      "-q",
      "--dest-tls-verify=false",
      ...(creds ? ["--dest-creds", creds] : []),
      `oci:${layout}:push:me`,
      `docker://${ref}`,
    ],
    {
      timeoutMs: 120_000,
    },
  );
  return ref;
}

describe("CRI PullImage from a registry on 127.0.0.1 (pushed by skopeo)", function () {
  // An empty config dir: no mirrors, no auth.json; the host's /etc/berth is never read.
  const h = criHarness("cri-pull", undefined, ["skopeo", "docker-registry", "htpasswd"], (base) => [
    "--config-dir",
    path.join(base, "etc-berth"),
  ]);
  let registry: TestRegistry;
  let image: FixtureImage;
  let ref: string;

  before(async () => {
    registry = await startRegistry();
    image = await busyboxOneLayer({ gzip: true });
    ref = await push(h.base.path, registry, image, "team/pulled:v1");
  });
  after(async () => registry?.stop());

  it("pulls an image and answers its id, which ImageStatus then finds under the pulled name", async () => {
    const res = await h.cri.image("PullImage", { image: { image: ref } });
    expect(res.image_ref).to.equal(image.config.digest);
    const status = await h.cri.image("ImageStatus", { image: { image: ref } });
    expect(status.image.id).to.equal(image.config.digest);
    expect(status.image.repo_tags).to.include(ref);
    expect(status.image.repo_digests).to.include(
      `${registry.host}/team/pulled@${image.manifest.digest}`,
    );
  });

  it("runs a container from the pulled image", async () => {
    await h.cri.image("PullImage", { image: { image: ref } });
    const pod = await h.runPod("pulled");
    const id = await h.runContainer(pod, "echo", "echo pulled", { image: { image: ref } });
    const s = await h.exited(id);
    expect(s.exit_code).to.equal(0);
    expect(s.image_id).to.equal(image.config.digest);
    const log = await fs.readFile(s.log_path, "utf8");
    expect(log).to.match(/ stdout F pulled\n/);
  });

  it("answers NotFound for a tag the registry does not have", async () => {
    const err = await h.cri
      .image("PullImage", { image: { image: `${registry.host}/team/pulled:absent` } })
      .catch((e) => e);
    expect(err.code, err.details).to.equal(grpcCode.NOT_FOUND);
    const status = await h.cri.image("ImageStatus", {
      image: { image: `${registry.host}/team/pulled:absent` },
    });
    expect(status.image).to.equal(null);
  });

  describe("from a registry that wants a password (htpasswd)", () => {
    const user = "puller";
    const password = `pw-${process.pid}-secret`;
    let locked: TestRegistry;
    let lockedRef: string;

    before(async () => {
      locked = await startRegistry({ auth: { user, password } });
      lockedRef = await push(h.base.path, locked, image, "team/locked:v1", `${user}:${password}`);
    });
    after(async () => locked?.stop());

    it("pulls with the CRI AuthConfig, and answers Unauthenticated for a wrong or no password", async () => {
      const good = await h.cri.image("PullImage", {
        image: { image: lockedRef },
        auth: { username: user, password },
      });
      expect(good.image_ref).to.equal(image.config.digest);
      for (const auth of [{ username: user, password: "wrong" }, undefined]) {
        const err = await h.cri
          .image("PullImage", { image: { image: lockedRef }, auth })
          .catch((e) => e);
        expect(err.code, err.details).to.equal(grpcCode.UNAUTHENTICATED);
        expect(err.details).to.include(locked.host);
      }
      expect(h.agent.stderr()).not.to.include(password);
      expect(h.agent.stderr()).not.to.include(
        Buffer.from(`${user}:${password}`).toString("base64"),
      );
    });

    it("pulls with the credentials in the config dir's auth.json", async () => {
      const configDir = path.join(h.base.path, "etc-berth");
      await fs.mkdir(configDir, { recursive: true });
      const auth = Buffer.from(`${user}:${password}`).toString("base64");
      await fs.writeFile(
        path.join(configDir, "auth.json"),
        JSON.stringify({ auths: { [locked.host]: { auth } } }),
      );
      try {
        const res = await h.cri.image("PullImage", { image: { image: lockedRef } });
        expect(res.image_ref).to.equal(image.config.digest);
      } finally {
        await fs.rm(path.join(configDir, "auth.json"));
      }
    });
  });

  it("answers InvalidArgument naming image.image for a malformed reference", async () => {
    const err = await h.cri.image("PullImage", { image: { image: "Not A Ref!" } }).catch((e) => e);
    expect(err.code).to.equal(grpcCode.INVALID_ARGUMENT);
    expect(err.details).to.include("image.image");
    const empty = await h.cri.image("PullImage", { image: { image: "" } }).catch((e) => e);
    expect(empty.code).to.equal(grpcCode.INVALID_ARGUMENT);
  });
});

describe("pull metrics of an agent", function () {
  let base: ReturnType<typeof tempDir>;
  let registry: TestRegistry;
  let agent: RunningAgent;
  let cri: CriClient;
  const cgroupParent = `/berth-test-metrics-${process.pid}`;

  before(async function () {
    requireIntegration(this, ["skopeo", "docker-registry", "runc", "conmon"]);
    base = tempDir("pull-metrics");
    registry = await startRegistry();
    agent = await startAgent({
      paths: {
        root: path.join(base.path, "root"),
        runDir: path.join(base.path, "run"),
        criSocket: path.join(base.path, "run", "berth.sock"),
      },
      logger: silentLogger(),
      cgroupParent,
      cniConfDir: path.join(base.path, "cni", "net.d"),
      configDir: path.join(base.path, "etc-berth"),
    });
    cri = criClient(agent.socket);
  });

  after(async () => {
    cri?.close();
    await agent?.stop();
    await registry?.stop();
    removeCgroupEverywhere(cgroupParent);
    base?.remove();
  });

  it("counts pulled bytes, observes durations and counts errors by reason", async () => {
    const image = await busyboxOneLayer({ gzip: true });
    const ref = await push(base.path, registry, image, "team/metrics:v1");
    await cri.image("PullImage", { image: { image: ref } });
    await cri
      .image("PullImage", { image: { image: `${registry.host}/team/metrics:nope` } })
      .catch(() => {});
    const text = await agent.metrics.metrics();
    const value = (line: string) =>
      Number(
        text
          .split("\n")
          .find((l) => l.startsWith(`${line} `))
          ?.slice(line.length + 1),
      );
    expect(value("berth_image_pull_bytes_total")).to.equal(image.layers[0].size);
    expect(value("berth_image_pull_duration_seconds_count")).to.equal(1);
    expect(
      value('kubelet_image_pull_duration_seconds_count{image_size_in_bytes="0-10MB"}'),
    ).to.equal(1);
    expect(value('berth_image_pull_errors_total{reason="not_found"}')).to.equal(1);
  });
});

describe("berth image pull", function () {
  let base: ReturnType<typeof tempDir>;
  let registry: TestRegistry;
  let image: FixtureImage;
  let ref: string;

  before(async function () {
    requireIntegration(this, ["skopeo", "docker-registry"]);
    base = tempDir("image-pull-cli");
    registry = await startRegistry();
    image = await busyboxOneLayer({ gzip: true });
    ref = await push(base.path, registry, image, "cli/pulled:v1");
  });
  after(async () => {
    await registry?.stop();
    base?.remove();
  });

  const berth = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(berthBin, args, { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (b: Buffer) => (stdout += b));
      child.stderr.on("data", (b: Buffer) => (stderr += b));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  const flags = () => [
    "--root",
    path.join(base.path, "root"),
    "--config-dir",
    path.join(base.path, "etc"),
  ];

  it("prints plain progress lines when not on a terminal, then the image id", async () => {
    const res = await berth(["image", "pull", ref, ...flags()]);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.equal(`${image.config.digest}\n`);
    expect(res.stderr).not.to.include("\x1b");
    const short = image.layers[0].digest.slice(7, 19);
    const lines = res.stderr.trim().split("\n");
    expect(lines).to.include.members([
      `${short}: downloading ${mb(image.layers[0].size)}`,
      `${short}: done ${mb(image.layers[0].size)}`,
      `${short}: unpacked (1/1)`,
    ]);
    const ls = await berth(["image", "ls", "-q", "--root", path.join(base.path, "root")]);
    expect(ls.stdout.trim()).to.equal(image.config.digest);
  });

  it("reports an absent tag as `berth: …` with a non-zero exit", async () => {
    const res = await berth(["image", "pull", `${registry.host}/cli/pulled:absent`, ...flags()]);
    expect(res.code).to.not.equal(0);
    expect(res.stderr).to.match(/^berth: .*absent/m);
    expect(res.stdout).to.equal("");
  });

  it("refuses a malformed platform", async () => {
    const res = await berth(["image", "pull", ref, "--platform", "linux", ...flags()]);
    expect(res.code).to.not.equal(0);
    expect(res.stderr).to.include("berth: --platform");
  });
});

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

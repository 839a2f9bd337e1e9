import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { ImageStore } from "../../agent/images/image-store.js";
import { importImages } from "../../agent/images/import/import-image.js";
import { run } from "../../lib/exec.js";
import { busyboxMultiLayer, busyboxOneLayer } from "../fixtures/busybox-image.js";
import { writeOciLayout } from "../fixtures/oci-layout-writer.js";
import { startAgentProcess, type AgentProcess } from "../support/agent-process.js";
import { criClient, type CriClient } from "../support/cri-client.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";

const grpcCode = { INVALID_ARGUMENT: 3, UNIMPLEMENTED: 12 };

describe("CRI ImageService and RuntimeService basics through the agent's socket", function () {
  let base: ReturnType<typeof tempDir>;
  let agent: AgentProcess;
  let cri: CriClient;
  let store: ImageStore;
  let skopeoArchive: string;

  before(async function () {
    requireIntegration(this, ["skopeo", "tar"]);
    base = tempDir("cri-images");
    agent = await startAgentProcess(base.path);
    cri = criClient(agent.socket);
    // The image CLI path (a second process on the same root as the running agent).
    store = await ImageStore.open(path.join(base.path, "root"));
    const layout = path.join(base.path, "layout");
    await writeOciLayout(layout, [
      {
        image: await busyboxOneLayer(),
        refNames: ["docker.io/library/busybox:1.36", "busybox:stable"],
      },
      {
        image: await busyboxMultiLayer({ gzip: true }),
        refNames: ["localhost:5000/team/multi:v1"],
      },
    ]);
    await importImages(store, layout);
    // The same busybox image as written by an independent tool: skopeo's docker-archive.
    skopeoArchive = path.join(base.path, "skopeo.tar");
    await run("skopeo", [
      "copy",
      "-q",
      `oci:${layout}:docker.io/library/busybox:1.36`,
      `docker-archive:${skopeoArchive}:localhost/skopeo/busybox:copied`,
    ]);
    await importImages(store, skopeoArchive);
  });

  after(async () => {
    cri?.close();
    await agent?.stop();
    base?.remove();
  });

  it("answers Version as berth speaking CRI v1", async () => {
    const res = await cri.runtime("Version", { version: "v1" });
    expect(res.runtime_name).to.equal("berth");
    expect(res.runtime_api_version).to.equal("v1");
    expect(res.version).to.equal("0.1.0");
  });

  it("reports RuntimeReady, and NetworkReady from the default CNI network it wrote", async () => {
    const res = await cri.runtime("Status", { verbose: true });
    const conditions = Object.fromEntries(
      res.status.conditions.map((c: { type: string }) => [c.type, c]),
    );
    expect(conditions.RuntimeReady.status).to.equal(true);
    const written = path.join(base.path, "cni", "net.d", "10-berth.conflist");
    expect(conditions.NetworkReady.status, conditions.NetworkReady.message).to.equal(true);
    expect(conditions.NetworkReady.message).to.include(written);
    expect(JSON.parse(await fs.readFile(written, "utf8")).name).to.equal("berth");
    expect(JSON.parse(res.info.config).root).to.equal(path.join(base.path, "root"));
  });

  it("serves the socket with mode 0600", async () => {
    const st = await fs.stat(agent.socket);
    expect(st.isSocket()).to.equal(true);
    expect(st.mode & 0o777).to.equal(0o600);
  });

  it("lists imported images with id, tags, digests and size", async () => {
    const records = await store.list();
    const res = await cri.image("ListImages", {});
    // skopeo's copy of busybox has busybox's config, so it is the same image with more names.
    expect(res.images).to.have.length(2);
    for (const record of records) {
      const image = res.images.find((i: { id: string }) => i.id === record.id);
      expect(image.repo_tags).to.have.members(record.repoTags);
      expect(image.repo_digests).to.deep.equal(record.repoDigests);
      expect(image.size).to.equal(String(record.size));
    }
    const busybox = res.images.find((i: { repo_tags: string[] }) =>
      i.repo_tags.includes("docker.io/library/busybox:1.36"),
    );
    expect(busybox.repo_tags).to.have.members([
      "docker.io/library/busybox:1.36",
      "docker.io/library/busybox:stable",
      "localhost/skopeo/busybox:copied",
    ]);
  });

  it("lists the image skopeo wrote under the id of its config, with its tag and digest", async () => {
    const manifestJson = await run("tar", ["-xOf", skopeoArchive, "manifest.json"]);
    const [entry] = JSON.parse(manifestJson.stdout) as { Config: string; RepoTags: string[] }[];
    const configId = `sha256:${entry.Config.replace(/^(blobs\/sha256\/)?/, "").replace(/\.json$/, "")}`;
    const res = await cri.image("ImageStatus", {
      image: { image: "localhost/skopeo/busybox:copied" },
    });
    expect(res.image.id).to.equal(configId);
    expect(res.image.repo_tags).to.include("localhost/skopeo/busybox:copied");
    expect(res.image.repo_tags).to.include("docker.io/library/busybox:1.36");
    expect(
      res.image.repo_digests.filter((d: string) =>
        d.startsWith("localhost/skopeo/busybox@sha256:"),
      ),
    ).to.have.length(1);
    const record = await store.find("localhost/skopeo/busybox:copied");
    expect(res.image.size).to.equal(String(record?.size));
  });

  it("filters ListImages by an image reference", async () => {
    const res = await cri.image("ListImages", {
      filter: { image: { image: "localhost:5000/team/multi:v1" } },
    });
    expect(res.images.map((i: { repo_tags: string[] }) => i.repo_tags)).to.deep.equal([
      ["localhost:5000/team/multi:v1"],
    ]);
  });

  it("finds the same image by tag, short name, repo digest, id and unique id prefix", async () => {
    const [record] = (await store.list()).filter((r) =>
      r.repoTags.includes("docker.io/library/busybox:1.36"),
    );
    const refs = [
      "busybox:1.36",
      "docker.io/library/busybox:stable",
      record.repoDigests[0],
      record.id,
      record.id.slice(7),
      record.id.slice(7, 19),
    ];
    for (const ref of refs) {
      const res = await cri.image("ImageStatus", { image: { image: ref } });
      expect(res.image?.id, ref).to.equal(record.id);
    }
  });

  it("answers ImageStatus of an absent image with no image and no error", async () => {
    const res = await cri.image("ImageStatus", { image: { image: "busybox:absent" } });
    expect(res.image).to.equal(null);
  });

  it("rejects ImageStatus without an image as InvalidArgument naming the field", async () => {
    const err = await cri.image("ImageStatus", { image: { image: "" } }).catch((e) => e);
    expect(err.code).to.equal(grpcCode.INVALID_ARGUMENT);
    expect(err.details).to.match(/image\.image/);
  });

  it("rejects a malformed reference as InvalidArgument", async () => {
    const err = await cri.image("ImageStatus", { image: { image: "Not A Ref!" } }).catch((e) => e);
    expect(err.code).to.equal(grpcCode.INVALID_ARGUMENT);
  });

  it("answers RPCs Berth does not implement (checkpointing) with UNIMPLEMENTED", async () => {
    const err = await cri
      .runtime("CheckpointContainer", { container_id: "x", location: "/tmp/x.tar" })
      .catch((e) => e);
    expect(err.code).to.equal(grpcCode.UNIMPLEMENTED);
  });

  it("reports the image filesystem's real bytes and inodes, which shrink when an image is removed", async () => {
    const before = await cri.image("ImageFsInfo", {});
    const [fsUsage] = before.image_filesystems;
    expect(fsUsage.fs_id.mountpoint).to.equal(path.join(base.path, "root"));
    expect(Number(fsUsage.used_bytes.value)).to.be.greaterThan(1_000_000);
    expect(Number(fsUsage.inodes_used.value)).to.be.greaterThan(20);

    await cri.image("RemoveImage", { image: { image: "localhost:5000/team/multi:v1" } });
    const after = await cri.image("ImageFsInfo", {});
    expect(Number(after.image_filesystems[0].used_bytes.value)).to.be.lessThan(
      Number(fsUsage.used_bytes.value),
    );
  });

  it("removes an image with all its tags, and removing it again succeeds", async () => {
    await cri.image("RemoveImage", { image: { image: "busybox:stable" } });
    for (const ref of ["busybox:stable", "busybox:1.36"]) {
      const res = await cri.image("ImageStatus", { image: { image: ref } });
      expect(res.image, ref).to.equal(null);
    }
    await cri.image("RemoveImage", { image: { image: "busybox:stable" } });
    const left = (await cri.image("ListImages", {})).images;
    expect(left.flatMap((i: { repo_tags: string[] }) => i.repo_tags)).to.not.include(
      "docker.io/library/busybox:1.36",
    );
  });
});

import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { PodVolumes } from "../../../../../agent/kubelet/volumes/pod-volumes.js";
import { createTerminationLog } from "../../../../../agent/kubelet/volumes/termination-log.js";
import type { ConfigMap, Pod, Secret, Volume } from "../../../../../agent/kube/types.js";
import { isBerthError, type BerthError } from "../../../../../lib/errors.js";
import { silentLogger } from "../../../../../lib/logger.js";
import { tempDir } from "../../../../support/temp-dir.js";

// Disk-backed volumes only: memory emptyDirs and secrets need root (tmpfs), see the integration test.

async function rejection(p: Promise<unknown>): Promise<BerthError> {
  try {
    await p;
  } catch (err) {
    if (isBerthError(err)) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}

describe("PodVolumes (disk-backed volumes)", () => {
  let dir: ReturnType<typeof tempDir>;
  let podsRoot: string;
  let configMaps: Map<string, ConfigMap>;
  let volumes: PodVolumes;
  const lookups: string[] = [];

  beforeEach(() => {
    dir = tempDir("pod-volumes");
    podsRoot = path.join(dir.path, "pods");
    configMaps = new Map();
    lookups.length = 0;
    volumes = new PodVolumes({
      podsRoot,
      logger: silentLogger(),
      lookup: {
        configMap: async (ns, name) => {
          lookups.push(`${ns}/${name}`);
          return configMaps.get(`${ns}/${name}`);
        },
        secret: async (): Promise<Secret | undefined> => undefined,
      },
    });
  });
  afterEach(() => dir.remove());

  const podWith = (volumeList: Volume[], labels: Record<string, string> = {}): Pod => ({
    metadata: { name: "web", namespace: "shop", uid: "uid-1", labels },
    spec: { containers: [{ name: "app" }], volumes: volumeList },
  });
  const read = (p: string) => fs.readFile(p, "utf8");

  it("makes emptyDir, configMap and downwardAPI volumes under kubelet's layout", async () => {
    configMaps.set("shop/settings", { data: { "app.conf": "debug=1\n" } });
    await fs.mkdir(path.join(dir.path, "host"));
    const pod = podWith(
      [
        { name: "scratch", emptyDir: {} },
        { name: "defaulted" },
        { name: "cfg", configMap: { name: "settings" } },
        {
          name: "info",
          downwardAPI: { items: [{ path: "name", fieldRef: { fieldPath: "metadata.name" } }] },
        },
        { name: "host", hostPath: { path: path.join(dir.path, "host"), type: "Directory" } },
      ],
      { app: "web" },
    );
    const result = await volumes.setUp(pod);
    const podDir = path.join(podsRoot, "uid-1");
    expect(Object.fromEntries(result)).to.deep.equal({
      scratch: { hostPath: `${podDir}/volumes/kubernetes.io~empty-dir/scratch`, kind: "emptyDir" },
      defaulted: {
        hostPath: `${podDir}/volumes/kubernetes.io~empty-dir/defaulted`,
        kind: "emptyDir",
      },
      cfg: {
        hostPath: `${podDir}/volumes/kubernetes.io~configmap/cfg`,
        kind: "configMap",
        readOnly: true,
      },
      info: {
        hostPath: `${podDir}/volumes/kubernetes.io~downward-api/info`,
        kind: "downwardAPI",
        readOnly: true,
      },
      host: { hostPath: path.join(dir.path, "host"), kind: "hostPath" },
    });
    expect((await fs.stat(result.get("scratch")!.hostPath)).mode & 0o7777).to.equal(0o777);
    expect(await read(path.join(result.get("cfg")!.hostPath, "app.conf"))).to.equal("debug=1\n");
    expect(await read(path.join(result.get("info")!.hostPath, "name"))).to.equal("web");
    expect(lookups).to.deep.equal(["shop/settings"]);
  });

  it("is idempotent and refreshes configMap and downwardAPI contents on a later set-up", async () => {
    configMaps.set("shop/settings", { data: { a: "1" } });
    const vols: Volume[] = [
      { name: "scratch", emptyDir: {} },
      { name: "cfg", configMap: { name: "settings" } },
      {
        name: "info",
        downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] },
      },
    ];
    const first = await volumes.setUp(podWith(vols, { v: "1" }));
    await fs.writeFile(path.join(first.get("scratch")!.hostPath, "kept"), "x");
    configMaps.set("shop/settings", { data: { a: "2", b: "3" } });
    const second = await volumes.setUp(podWith(vols, { v: "2" }));
    expect(Object.fromEntries(second)).to.deep.equal(Object.fromEntries(first));
    expect(await read(path.join(second.get("scratch")!.hostPath, "kept"))).to.equal("x");
    expect(await read(path.join(second.get("cfg")!.hostPath, "a"))).to.equal("2");
    expect(await read(path.join(second.get("cfg")!.hostPath, "b"))).to.equal("3");
    expect(await read(path.join(second.get("info")!.hostPath, "labels"))).to.equal('v="2"');
  });

  it("keeps volume roots open to any container user under a strict agent umask", async () => {
    configMaps.set("shop/settings", { data: { a: "1" } });
    const old = process.umask(0o077);
    let result: Awaited<ReturnType<PodVolumes["setUp"]>>;
    try {
      result = await volumes.setUp(
        podWith([
          { name: "cfg", configMap: { name: "settings" } },
          { name: "scratch", emptyDir: {} },
        ]),
      );
    } finally {
      process.umask(old);
    }
    const modeOf = async (p: string) => (await fs.stat(p)).mode & 0o7777;
    expect(await modeOf(result.get("cfg")!.hostPath)).to.equal(0o755);
    expect(await modeOf(path.join(result.get("cfg")!.hostPath, "a"))).to.equal(0o644);
    expect(await modeOf(result.get("scratch")!.hostPath)).to.equal(0o777);
  });

  it("fails a missing required configMap with kubelet's message, after setting up the others", async () => {
    const err = await rejection(
      volumes.setUp(
        podWith([
          { name: "cfg", configMap: { name: "x" } },
          { name: "scratch", emptyDir: {} },
        ]),
      ),
    );
    expect(err.kind).to.equal("NotFound");
    expect(err.message).to.equal('configmap "x" not found');
    expect(err.field).to.equal("spec.volumes[0].configMap.name");
    await fs.access(path.join(podsRoot, "uid-1/volumes/kubernetes.io~empty-dir/scratch"));
  });

  it("makes an empty volume for a missing optional configMap, and fills it once it appears", async () => {
    const pod = podWith([{ name: "cfg", configMap: { name: "later", optional: true } }]);
    const cfg = (await volumes.setUp(pod)).get("cfg")!.hostPath;
    expect((await fs.readdir(cfg)).filter((n) => !n.startsWith(".."))).to.deep.equal([]);
    configMaps.set("shop/later", { data: { k: "v" } });
    await volumes.setUp(pod);
    expect(await read(path.join(cfg, "k"))).to.equal("v");
  });

  it("keeps the last good contents when a required configMap disappears", async () => {
    configMaps.set("shop/settings", { data: { a: "1" } });
    const pod = podWith([{ name: "cfg", configMap: { name: "settings" } }]);
    const cfg = (await volumes.setUp(pod)).get("cfg")!.hostPath;
    configMaps.clear();
    await rejection(volumes.setUp(pod));
    expect(await read(path.join(cfg, "a"))).to.equal("1");
  });

  it("refuses duplicate names, several sources, unsupported sources and bad media", async () => {
    const cases: [Volume[], RegExp, string][] = [
      [
        [
          { name: "a", emptyDir: {} },
          { name: "a", emptyDir: {} },
        ],
        /duplicate volume name "a"/,
        "spec.volumes[1].name",
      ],
      [
        [{ name: "a", emptyDir: {}, hostPath: { path: "/tmp" } }],
        /more than one source/,
        "spec.volumes[0]",
      ],
      [
        [{ name: "a", persistentVolumeClaim: { claimName: "c" } } as unknown as Volume],
        /persistentVolumeClaim volumes are not supported/,
        "spec.volumes[0].persistentVolumeClaim",
      ],
      [
        [{ name: "a", emptyDir: { medium: "HugePages" as "" } }],
        /medium "HugePages" is not supported/,
        "spec.volumes[0].emptyDir.medium",
      ],
      [[{ name: "../a", emptyDir: {} }], /single path element/, "spec.volumes[0].name"],
    ];
    for (const [vols, message, field] of cases) {
      const err = await rejection(volumes.setUp(podWith(vols)));
      expect(err.message).to.match(message);
      expect(err.field).to.equal(field);
    }
  });

  it("refuses a pod without a usable uid", async () => {
    const err = await rejection(
      volumes.setUp({ metadata: { name: "x" }, spec: { containers: [] } }),
    );
    expect(err.field).to.equal("metadata.uid");
  });

  it("tears down idempotently, lists pod dirs, and never touches hostPath volumes", async () => {
    const host = path.join(dir.path, "host");
    await fs.mkdir(host);
    await fs.writeFile(path.join(host, "precious"), "keep");
    const pod = podWith([
      { name: "h", hostPath: { path: host } },
      { name: "s", emptyDir: {} },
    ]);
    await volumes.setUp(pod);
    await volumes.setUp({ ...pod, metadata: { ...pod.metadata, uid: "uid-2" } });
    expect((await volumes.listPodDirs()).sort()).to.deep.equal(["uid-1", "uid-2"]);
    await createTerminationLog(volumes.podFiles("uid-1"), "app", "0");
    await volumes.tearDown("uid-1");
    await volumes.tearDown("uid-1");
    expect(await volumes.listPodDirs()).to.deep.equal(["uid-2"]);
    expect(await read(path.join(host, "precious"))).to.equal("keep");
  });

  it("lists nothing when the pods root does not exist yet", async () => {
    expect(await volumes.listPodDirs()).to.deep.equal([]);
  });

  it("creates a world-writable termination-log file under containers/<name>/<id>", async () => {
    const file = await createTerminationLog(volumes.podFiles("uid-1"), "app", "a1b2");
    expect(file).to.equal(path.join(podsRoot, "uid-1/containers/app/a1b2"));
    expect((await fs.stat(file)).mode & 0o777).to.equal(0o666);
  });
});

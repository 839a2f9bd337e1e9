import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { PodVolumes } from "../../agent/kubelet/volumes/pod-volumes.js";
import type { ConfigMap, Pod, Secret, Volume } from "../../agent/kube/types.js";
import { isBerthError } from "../../lib/errors.js";
import { silentLogger, type Logger } from "../../lib/logger.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";
import { unmountUnder } from "../support/unmount-under.js";

const Mi = 1024 * 1024;
const b64 = (s: string) => Buffer.from(s).toString("base64");

interface MountEntry {
  point: string;
  fsType: string;
  superOptions: string;
}

async function mountsBelow(dir: string): Promise<MountEntry[]> {
  const text = await fs.readFile("/proc/self/mountinfo", "utf8");
  return text
    .split("\n")
    .map((line) => line.split(" "))
    .filter((f) => f.length > 6)
    .map((f) => {
      const dash = f.indexOf("-");
      return { point: f[4].replace(/\\040/g, " "), fsType: f[dash + 1], superOptions: f[dash + 3] };
    })
    .filter((m) => m.point === dir || m.point.startsWith(`${dir}/`));
}

describe("kubelet volumes on the host (tmpfs, teardown, atomic updates, hostPath)", function () {
  let dir: ReturnType<typeof tempDir>;
  let podsRoot: string;
  let volumes: PodVolumes;
  let children: ChildProcess[] = [];
  const configMaps = new Map<string, ConfigMap>();
  const secrets = new Map<string, Secret>();
  let uidCounter = 0;

  before(function () {
    requireIntegration(this, ["mount", "umount"]);
  });

  beforeEach(() => {
    dir = tempDir("kubelet-volumes");
    podsRoot = path.join(dir.path, "pods");
    configMaps.clear();
    secrets.clear();
    volumes = newPodVolumes();
  });

  afterEach(async () => {
    for (const child of children)
      if (child.exitCode === null && child.pid) process.kill(child.pid, "SIGKILL");
    children = [];
    if (dir) {
      await unmountUnder(dir.path);
      dir.remove();
    }
  });

  function newPodVolumes(logger: Logger = silentLogger()): PodVolumes {
    return new PodVolumes({
      podsRoot,
      logger,
      lookup: {
        configMap: async (ns, name) => configMaps.get(`${ns}/${name}`),
        secret: async (ns, name) => secrets.get(`${ns}/${name}`),
      },
      nodeAllocatableMemory: () => 64 * Mi,
    });
  }

  const pod = (vols: Volume[], extra: Partial<NonNullable<Pod["spec"]>> = {}): Pod => ({
    metadata: { name: "p", namespace: "ns", uid: `uid-${++uidCounter}` },
    spec: { containers: [{ name: "app" }], volumes: vols, ...extra },
  });

  it("puts a Memory emptyDir on a tmpfs sized by sizeLimit, and refuses writes past it", async () => {
    const p = pod([{ name: "fast", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } }]);
    const fast = (await volumes.setUp(p)).get("fast")!.hostPath;
    const [mount] = await mountsBelow(fast);
    expect(mount).to.deep.include({ point: fast, fsType: "tmpfs" });
    expect(mount.superOptions).to.match(/size=1024k/);
    expect((await fs.stat(fast)).mode & 0o7777).to.equal(0o777);
    await fs.writeFile(path.join(fast, "small"), Buffer.alloc(512 * 1024));
    let code = "";
    await fs
      .writeFile(path.join(fast, "big"), Buffer.alloc(2 * Mi))
      .catch((e: NodeJS.ErrnoException) => {
        code = e.code ?? "";
      });
    expect(code).to.equal("ENOSPC");
    await volumes.setUp(p);
    expect(await mountsBelow(fast)).to.have.length(
      1,
      "a second set-up must not stack a second tmpfs",
    );
  });

  it("caps a Memory emptyDir without sizeLimit at the pod limit or node allocatable memory", async () => {
    const open = (await volumes.setUp(pod([{ name: "m", emptyDir: { medium: "Memory" } }]))).get(
      "m",
    )!;
    expect((await mountsBelow(open.hostPath))[0].superOptions).to.match(/size=65536k/);
    const limited = pod([{ name: "m", emptyDir: { medium: "Memory" } }], {
      containers: [{ name: "app", resources: { limits: { memory: "8Mi" } } }],
    });
    const capped = (await volumes.setUp(limited)).get("m")!;
    expect((await mountsBelow(capped.hostPath))[0].superOptions).to.match(/size=8192k/);
  });

  it("keeps secrets on a tmpfs, decoded, with their modes", async () => {
    secrets.set("ns/creds", { data: { user: b64("admin"), "tls.key": b64("KEY") } });
    const p = pod([
      {
        name: "creds",
        secret: {
          secretName: "creds",
          defaultMode: 0o400,
          items: [
            { key: "user", path: "u" },
            { key: "tls.key", path: "tls/key", mode: 0o440 },
          ],
        },
      },
    ]);
    const result = (await volumes.setUp(p)).get("creds")!;
    expect(result).to.deep.include({ kind: "secret", readOnly: true });
    const [mount] = await mountsBelow(result.hostPath);
    expect(mount).to.deep.include({ point: result.hostPath, fsType: "tmpfs" });
    expect(await fs.readFile(path.join(result.hostPath, "u"), "utf8")).to.equal("admin");
    expect(await fs.readFile(path.join(result.hostPath, "tls/key"), "utf8")).to.equal("KEY");
    expect((await fs.stat(path.join(result.hostPath, "u"))).mode & 0o777).to.equal(0o400);
    expect((await fs.stat(path.join(result.hostPath, "tls/key"))).mode & 0o777).to.equal(0o440);
  });

  it("fails a missing required secret clearly and mounts nothing for it", async () => {
    const p = pod([{ name: "s", secret: { secretName: "absent" } }]);
    const err = await volumes.setUp(p).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isBerthError(err, "NotFound") && err.message).to.equal('secret "absent" not found');
    expect(await mountsBelow(podsRoot)).to.deep.equal([]);
  });

  it("tears down with a file held open on a tmpfs (lazy unmount), even from a fresh instance", async () => {
    secrets.set("ns/s", { data: { k: b64("v") } });
    const p = pod([
      { name: "mem", emptyDir: { medium: "Memory" } },
      { name: "s", secret: { secretName: "s" } },
      { name: "disk", emptyDir: {} },
    ]);
    const result = await volumes.setUp(p);
    const podDir = volumes.podFiles(p.metadata!.uid!).podDir;
    expect(await mountsBelow(podDir)).to.have.length(2);
    const busy = await fs.open(path.join(result.get("mem")!.hostPath, "held"), "w");
    try {
      await busy.write("still open");
      // As after an agent crash: a new instance knows nothing but what mountinfo says.
      const warnings: string[] = [];
      const quiet = () => undefined;
      const recording = {
        debug: quiet,
        info: quiet,
        error: quiet,
        warn: (m: string) => warnings.push(m),
      } as unknown as Logger;
      await newPodVolumes(recording).tearDown(p.metadata!.uid!);
      expect(warnings).to.deep.equal(["unmount failed, detaching lazily"]);
      expect(await mountsBelow(podDir)).to.deep.equal([]);
      expect(await fs.stat(podDir).catch(() => "gone")).to.equal("gone");
      expect(await volumes.listPodDirs()).to.deep.equal([]);
      await volumes.tearDown(p.metadata!.uid!);
    } finally {
      await busy.close();
    }
  });

  it("swaps ..data atomically: a reader never sees a missing or partial file during updates", async function () {
    this.timeout(120_000);
    const size = 64 * 1024;
    const body = (n: number) => `${String(n).padStart(8, "0")}\n`.repeat(size / 9);
    configMaps.set("ns/cfg", { data: { "a.txt": body(0), "nested/b.txt": body(0) } });
    const p = pod([{ name: "cfg", configMap: { name: "cfg" } }]);
    const cfg = (await volumes.setUp(p)).get("cfg")!.hostPath;

    const reader = startReader([path.join(cfg, "a.txt"), path.join(cfg, "nested/b.txt")], size);
    children.push(reader.child);
    await reader.started;
    const updates = 100;
    for (let n = 1; n <= updates; n++) {
      configMaps.set("ns/cfg", { data: { "a.txt": body(n), "nested/b.txt": body(n) } });
      await volumes.setUp(p);
    }
    const report = await reader.stop();
    expect(report.bad, report.firstBad).to.equal(0);
    expect(report.reads).to.be.greaterThan(updates);
    expect(report.maxSeen).to.be.greaterThan(0);
    expect(await fs.readFile(path.join(cfg, "a.txt"), "utf8")).to.equal(body(updates));
    const dataDirs = (await fs.readdir(cfg)).filter((n) => /^\.\.\d{4}_/.test(n));
    expect(dataDirs).to.have.length(1);
  });

  it("checks hostPath types, creating what the OrCreate types allow", async () => {
    const made = path.join(dir.path, "host/new/dir");
    const file = path.join(dir.path, "host/new/file");
    const result = await volumes.setUp(
      pod([
        { name: "d", hostPath: { path: made, type: "DirectoryOrCreate" } },
        { name: "f", hostPath: { path: file, type: "FileOrCreate" } },
        { name: "null", hostPath: { path: "/dev/null", type: "CharDevice" } },
      ]),
    );
    expect(result.get("d")).to.deep.equal({ hostPath: made, kind: "hostPath" });
    expect((await fs.stat(made)).mode & 0o777).to.equal(0o755);
    expect((await fs.stat(file)).mode & 0o777).to.equal(0o644);
    const block = readdirSync("/dev")
      .map((n) => `/dev/${n}`)
      .find((p) => {
        try {
          return statSync(p).isBlockDevice();
        } catch {
          return false;
        }
      });
    if (block)
      await volumes.setUp(pod([{ name: "b", hostPath: { path: block, type: "BlockDevice" } }]));
    const err = await volumes
      .setUp(pod([{ name: "x", hostPath: { path: made, type: "File" } }]))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isBerthError(err) && [err.message, err.field]).to.deep.equal([
      `hostPath type check failed: ${made} is not a file`,
      "spec.volumes[0].hostPath.path",
    ]);
  });
});

interface ReaderReport {
  reads: number;
  bad: number;
  firstBad: string;
  maxSeen: number;
}

/** A separate process reading the files in a tight loop, so reads truly race the writer. */
function startReader(files: string[], size: number) {
  const script = `
    const fs = require("node:fs");
    const files = JSON.parse(process.env.FILES), size = Number(process.env.SIZE);
    let reads = 0, bad = 0, firstBad = "", maxSeen = -1, stop = false;
    process.stdin.on("data", () => (stop = true));
    process.stdin.resume();
    process.stdout.write("started\\n");
    const check = (f) => {
      let text;
      try { text = fs.readFileSync(f, "utf8"); } catch (e) { return f + ": " + e.code; }
      const first = text.slice(0, 9);
      if (text.length !== size - (size % 9) || text !== first.repeat(text.length / 9)) return f + ": partial (" + text.length + " bytes)";
      maxSeen = Math.max(maxSeen, Number(first));
    };
    const loop = () => {
      for (let i = 0; i < 20 && !stop; i++) for (const f of files) {
        reads++;
        const why = check(f);
        if (why) { bad++; firstBad = firstBad || why; }
      }
      if (stop) process.stdout.write(JSON.stringify({ reads, bad, firstBad, maxSeen }) + "\\n", () => process.exit(0));
      else setImmediate(loop);
    };
    loop();
  `;
  const child = spawn(process.execPath, ["-e", script], {
    env: { ...process.env, FILES: JSON.stringify(files), SIZE: String(size) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  const lines: ((line: string) => void)[] = [];
  child.stdout!.on("data", (b: Buffer) => {
    out += b.toString();
    let nl;
    while ((nl = out.indexOf("\n")) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      lines.shift()?.(line);
    }
  });
  const nextLine = () => new Promise<string>((resolve) => lines.push(resolve));
  const started = nextLine();
  return {
    child,
    started,
    stop: async (): Promise<ReaderReport> => {
      const report = nextLine();
      child.stdin!.end("stop\n");
      return JSON.parse(await report) as ReaderReport;
    },
  };
}

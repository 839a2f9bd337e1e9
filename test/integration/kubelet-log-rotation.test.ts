import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { kubeletClusterForSuite } from "../support/kubelet-cluster.js";
import {
  assembleLines,
  attemptLogFiles,
  parseCriRecords,
  readLogFile,
  type CriRecord,
} from "../support/cri-log-files.js";
import { containerOf, isRunning, NamespacePods } from "../support/kubelet-namespace-pods.js";
import { busyboxContainer, podManifest } from "../support/kubelet-pods.js";
import { waitFor } from "../support/wait-for.js";

const ns = "kubelet-log-rotation";
const maxSize = 256 * 1024;
const maxFiles = 3;
const fastLines = 120_000;
const slowLines = 5;
const lastLine = fastLines + slowLines - 1;

/**
 * Writes line-0 … line-119999 in batches of 2000 every 0.1 s (~1 MiB/s of CRI log), pauses,
 * writes five more slowly, then waits for /tmp/exit and says "bye". The restart that follows
 * finds /data/ran and only says it is the second run.
 */
const writer = [
  "/bin/sh",
  "-c",
  [
    "trap 'exit 0' TERM",
    "if [ -e /data/ran ]; then echo second run; while true; do sleep 1; done; fi",
    "touch /data/ran",
    "i=0",
    `while [ $i -lt ${fastLines} ]; do j=0; while [ $j -lt 2000 ]; do echo line-$i; i=$((i+1)); j=$((j+1)); done; usleep 100000; done`,
    "sleep 3",
    `while [ $i -le ${lastLine} ]; do echo line-$i; i=$((i+1)); usleep 300000; done`,
    "while [ ! -e /tmp/exit ]; do usleep 200000; done",
    "echo bye",
  ].join("\n"),
];

describe("berth agent as kubelet: container log rotation (--container-log-max-size/-max-files)", function () {
  this.timeout(180_000);
  const cluster = kubeletClusterForSuite(ns, {
    agentArgs: [
      `--container-log-max-size=256Ki`,
      `--container-log-max-files=${maxFiles}`,
      "--container-log-monitor-interval=1s",
    ],
  });
  const pods = new NamespacePods(cluster, ns);
  let logDir = "";
  const numbers = (lines: string[]) =>
    lines.map((l) => {
      const m = /^line-(\d+)$/.exec(l);
      if (!m) throw new Error(`unexpected line ${JSON.stringify(l.slice(0, 100))}`);
      return Number(m[1]);
    });
  /** The newest whole line's number in the live log, read from its end only (it is big). */
  const newestLiveNumber = async () => {
    const handle = await fs.open(path.join(logDir, "0.log"), "r").catch(() => undefined);
    if (!handle) return -1;
    try {
      const { size } = await handle.stat();
      const buffer = Buffer.alloc(Math.min(size, 4096));
      await handle.read(buffer, 0, buffer.length, size - buffer.length);
      const found = [...buffer.toString().matchAll(/ F line-(\d+)\n/g)].at(-1);
      return found ? Number(found[1]) : -1;
    } finally {
      await handle.close();
    }
  };

  it("rotates a fast writer's log within the limits, losing and repeating nothing", async () => {
    await pods.apply(
      podManifest(
        ns,
        "chatty",
        [
          busyboxContainer("writer", writer, {
            volumeMounts: [{ name: "data", mountPath: "/data" }],
          }),
        ],
        { volumes: [{ name: "data", emptyDir: {} }] },
      ),
    );
    const pod = await pods.wait("chatty", "to run", isRunning);
    logDir = path.join(
      cluster.base.path,
      "pod-logs",
      `${ns}_chatty_${pod.metadata!.uid}`,
      "writer",
    );

    // While it writes: never more than max-files files (a compression's .tmp, and the plain
    // file beside its finished .gz, are moments of one step), and the live file is renewed.
    const inodes = new Set<number>();
    let mostFiles = 0;
    await waitFor(
      "the fast phase to end",
      async () => {
        const names = await fs.readdir(logDir);
        const steady = names.filter(
          (n) => !n.endsWith(".tmp") && !(names.includes(`${n}.gz`) && n.startsWith("0.log.")),
        );
        mostFiles = Math.max(mostFiles, steady.length);
        const live = await fs.stat(path.join(logDir, "0.log")).catch(() => undefined);
        if (live) inodes.add(live.ino);
        await sleep(150);
        return (await newestLiveNumber()) >= fastLines ? true : undefined;
      },
      90_000,
    );
    expect(mostFiles).to.be.at.most(maxFiles);
    expect(inodes.size, "live log files seen at the path").to.be.at.least(3);

    // The slow lines reach the live file; then nothing rotates any more.
    await waitFor("the last line", async () =>
      (await newestLiveNumber()) >= lastLine ? true : undefined,
    );
    let files = await attemptLogFiles(logDir, 0);
    await sleep(2_500);
    expect(await attemptLogFiles(logDir, 0)).to.deep.equal(files);
    files = await attemptLogFiles(logDir, 0);

    const names = files.map((f) => path.basename(f));
    expect(names).to.have.length(maxFiles);
    expect(names[0]).to.match(/^0\.log\.\d{8}-\d{6}\.gz$/);
    expect(names[1]).to.match(/^0\.log\.\d{8}-\d{6}$/);
    expect(names[2]).to.equal("0.log");
    expect((await fs.readdir(logDir)).sort()).to.deep.equal([...names].sort());

    const perFile: CriRecord[][] = [];
    for (const file of files) perFile.push(parseCriRecords(await readLogFile(file)));
    const all = perFile.flat();
    const kept = numbers(assembleLines(all));
    // Contiguous across every reopen, through the last line: nothing lost, nothing twice.
    const first = kept[0];
    expect(first, "the oldest files were removed").to.be.greaterThan(0);
    expect(kept).to.deep.equal(Array.from({ length: lastLine - first + 1 }, (_, i) => first + i));

    // Each file stays near the limit: what arrives within a check period (and a pass) is over.
    const fast = perFile.slice(0, 2).flat();
    const seconds = (Date.parse(fast.at(-1)!.time) - Date.parse(fast[0].time)) / 1000;
    const bytes = (await Promise.all(files.slice(0, 2).map(readLogFile))).join("").length;
    const rate = bytes / seconds;
    for (const file of files) {
      const size = (await readLogFile(file)).length;
      expect(size, `${path.basename(file)} at ${Math.round(rate)} B/s`).to.be.at.most(
        maxSize + 2 * rate,
      );
    }

    // kubectl logs reads the live file, as kubelet does.
    const live = assembleLines(perFile[2]);
    const out = await cluster.kubectlOk(["logs", "-n", ns, "chatty"]);
    expect(out.trimEnd().split("\n")).to.deep.equal(live);
    const tail = await cluster.kubectlOk(["logs", "-n", ns, "chatty", "--tail=2"]);
    expect(tail).to.equal(`line-${lastLine - 1}\nline-${lastLine}\n`);
  });

  it("shows the rotated container's last run with kubectl logs --previous", async () => {
    await cluster.kubectlOk(["exec", "-n", ns, "chatty", "--", "/bin/sh", "-c", "touch /tmp/exit"]);
    await pods.waitContainer(
      "chatty",
      "writer",
      "to restart",
      (c) => c.restartCount === 1 && !!c.state?.running,
    );
    const previous = await cluster.kubectlOk(["logs", "-n", ns, "chatty", "--previous"]);
    expect(previous.endsWith(`line-${lastLine}\nbye\n`), previous.slice(-200)).to.equal(true);
    const current = await waitFor("the second run's output", async () => {
      const out = await cluster.kubectlOk(["logs", "-n", ns, "chatty"]);
      return out.includes("second run") ? out : undefined;
    });
    expect(current).to.equal("second run\n");
    // The dead instance keeps its rotations while the runtime keeps it.
    const names = (await fs.readdir(logDir)).sort();
    expect(names.filter((n) => n.startsWith("0.log"))).to.have.length(maxFiles);
    expect(names).to.include("1.log");
    const pod = await pods.get("chatty");
    expect(containerOf(pod, "writer")!.lastState?.terminated?.exitCode).to.equal(0);
  });
});

// ADD + DEL of one pod attachment through the CNI runner: Berth's bridge + IPAM beside the
// reference bridge + host-local (Debian's containernetworking-plugins) on the same config — only
// the plugin types, bridge name and subnet differ. Rounds alternate, so all see the same machine.
// Berth's plugins run in the runner's process; "berth-exec" runs the same plugins as separate
// executables (as any other runtime would run them), to show what a Node start costs.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CniRunner } from "../cni/runner/cni-runner.js";
import { run } from "../lib/exec.js";
import { defaultPluginDirs } from "../agent/network/plugin-dirs.js";
import { summarize, timeMs, type Summary } from "./stats.js";

const runs = Number(process.env.BENCH_RUNS ?? 20);
const warmup = Number(process.env.BENCH_WARMUP ?? 2);
const id = randomBytes(3).toString("hex");
const base = await fs.mkdtemp(path.join(os.tmpdir(), "berth-bench-cni-"));
const netns = `berth-bench-${id}`;

interface Side {
  label: string;
  bridge: string;
  runner: CniRunner;
  add: number[];
  del: number[];
}

/** Shims outside this installation's cni/bin, so the runner execs the plugins instead. */
async function execShims(): Promise<string> {
  const dir = path.join(base, "exec-bin");
  await fs.mkdir(dir);
  const dist = fileURLToPath(new URL("../cni/plugins/", import.meta.url));
  for (const [name, folder] of [
    ["berth-bridge", "bridge"],
    ["berth-host-local", "host-local"],
  ]) {
    const shim = `#!/bin/sh\nexec node ${path.join(dist, folder, "main.js")}\n`;
    await fs.writeFile(path.join(dir, name), shim, { mode: 0o755 });
  }
  return dir;
}

async function side(
  label: string,
  bridgeType: string,
  ipamType: string,
  third: number,
  binDirs = defaultPluginDirs,
) {
  const bridge = `bb${third}${id}`;
  const confDir = path.join(base, label, "net.d");
  await fs.mkdir(confDir, { recursive: true });
  const conflist = {
    cniVersion: "1.0.0",
    name: `berth-bench-${label}-${id}`,
    plugins: [
      {
        type: bridgeType,
        bridge,
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: {
          type: ipamType,
          ranges: [[{ subnet: `10.245.${third}.0/24` }]],
          routes: [{ dst: "0.0.0.0/0" }],
          dataDir: path.join(base, label, "ipam"),
        },
      },
    ],
  };
  await fs.writeFile(path.join(confDir, "10-bench.conflist"), JSON.stringify(conflist));
  const runner = new CniRunner({
    confDir,
    binDirs,
    cacheDir: path.join(base, label, "cache"),
  });
  return { label, bridge, runner, add: [], del: [] } as Side;
}

async function lifecycle(s: Side, round: number, record: boolean): Promise<void> {
  const params = {
    containerId: `bench${id}${round}`,
    ifname: "eth0",
    netns: `/run/netns/${netns}`,
  };
  const add = await timeMs(() => s.runner.add(params));
  const del = await timeMs(() => s.runner.del(params));
  if (record) {
    s.add.push(add);
    s.del.push(del);
  }
}

const sides: Side[] = [];
try {
  await run("ip", ["netns", "add", netns]);
  sides.push(await side("berth", "berth-bridge", "berth-host-local", 1));
  sides.push(await side("reference", "bridge", "host-local", 2));
  sides.push(
    await side("berth-exec", "berth-bridge", "berth-host-local", 3, [
      await execShims(),
      ...defaultPluginDirs,
    ]),
  );
  for (let round = 0; round < warmup + runs; round++) {
    for (const s of sides) await lifecycle(s, round, round >= warmup);
  }
  const rows = sides.map((s) => ({
    label: s.label,
    add: summarize(s.add),
    del: summarize(s.del),
    total: summarize(s.add.map((a, i) => a + s.del[i])),
  }));
  const fmt = (x: Summary) => `${x.median.toFixed(1).padStart(8)} ${x.p90.toFixed(1).padStart(8)}`;
  console.log(`${runs} ADD+DEL of one attachment (after ${warmup} warm-up), ms: median p90`);
  for (const r of rows) {
    console.log(
      `  ${r.label.padEnd(10)} ADD ${fmt(r.add)}   DEL ${fmt(r.del)}   both ${fmt(r.total)}`,
    );
  }
  const [berth, reference, berthExec] = rows;
  const ratio = (a: Summary, b: Summary) => Number((a.median / b.median).toFixed(2));
  const ratios = {
    add: ratio(berth.add, reference.add),
    del: ratio(berth.del, reference.del),
    total: ratio(berth.total, reference.total),
    execTotal: ratio(berthExec.total, reference.total),
  };
  console.log(
    `ratio berth/reference (medians): ADD ${ratios.add}, DEL ${ratios.del}, both ${ratios.total}; berth-exec/reference both ${ratios.execTotal}`,
  );
  console.log(JSON.stringify({ bench: "cni-add-del", runs, unit: "ms", rows, ratios }));
} finally {
  for (const s of sides) await run("ip", ["link", "del", s.bridge]).catch(() => undefined);
  await run("ip", ["netns", "del", netns]).catch(() => undefined);
  await fs.rm(base, { recursive: true, force: true });
}

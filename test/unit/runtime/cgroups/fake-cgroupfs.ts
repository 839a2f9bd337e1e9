import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import type { CgroupFs } from "../../../../agent/runtime/cgroups/cgroup-fs.js";
import { nodeCgroupFs } from "../../../../agent/runtime/cgroups/cgroup-fs.js";

type Kind = { v: 1; controllers: string[] } | { v: 2 };

const unlimited = "9223372036854771712";

function errno(code: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${file}`), { code });
}

/**
 * A cgroup filesystem in a temp dir that behaves like the kernel where the code depends on it:
 * mkdir makes the control files of the hierarchy's controllers, writes need an existing file,
 * memory ≤ memsw is enforced on v1, an empty cpuset refuses tasks, subtree_control delegates
 * controllers on v2, cgroup.freeze updates cgroup.events, rmdir of a busy cgroup is EBUSY.
 * Every successful write is logged (paths relative to the root) so tests can check the order.
 */
export class FakeCgroupFs implements CgroupFs {
  readonly writes: string[] = [];
  private readonly mounts = new Map<string, Kind>();
  private readonly failures = new Map<string, string>();

  constructor(readonly root: string) {}

  /** Mounts a hierarchy at root/<name> and returns its mount point. */
  async mount(name: string, kind: Kind, rootFiles: Record<string, string> = {}): Promise<string> {
    const dir = path.join(this.root, name);
    this.mounts.set(dir, kind);
    await fs.mkdir(dir, { recursive: true });
    for (const [file, value] of Object.entries({ ...this.filesFor(dir, kind), ...rootFiles })) {
      await fs.writeFile(path.join(dir, file), value);
    }
    return dir;
  }

  /** The next write of `file` (relative to the root) fails with errno `code`. */
  failNextWrite(file: string, code: string): void {
    this.failures.set(path.join(this.root, file), code);
  }

  rel(file: string): string {
    return path.relative(this.root, file);
  }

  /** Test helper: sets a control file's content as the kernel would report it. */
  async set(file: string, value: string): Promise<void> {
    await fs.writeFile(path.join(this.root, file), value);
  }

  async get(file: string): Promise<string> {
    return (await fs.readFile(path.join(this.root, file), "utf8")).trim();
  }

  readFile = (file: string) => nodeCgroupFs.readFile(file);
  subdirs = (dir: string) => nodeCgroupFs.subdirs(dir);
  exists = (file: string) => nodeCgroupFs.exists(file);

  async mkdir(dir: string): Promise<void> {
    await fs.mkdir(dir);
    const [, kind] = this.mountOf(dir);
    for (const [file, value] of Object.entries(this.filesFor(dir, kind))) {
      await fs.writeFile(path.join(dir, file), value);
    }
  }

  async rmdir(dir: string): Promise<void> {
    if (!(await this.exists(dir))) throw errno("ENOENT", dir);
    if ((await this.subdirs(dir)).length > 0) throw errno("EBUSY", dir);
    const procs = await fs.readFile(path.join(dir, "cgroup.procs"), "utf8").catch(() => "");
    if (procs.trim() !== "") throw errno("EBUSY", dir);
    await fs.rm(dir, { recursive: true });
  }

  async writeFile(file: string, value: string): Promise<void> {
    const failure = this.failures.get(file);
    if (failure) {
      this.failures.delete(file);
      throw errno(failure, file);
    }
    await fs.access(file).catch(() => {
      throw errno("ENOENT", file);
    });
    const dir = path.dirname(file);
    const name = path.basename(file);
    const read = async (f: string) => (await fs.readFile(path.join(dir, f), "utf8")).trim();
    const big = (v: string) => (v === "-1" ? BigInt(unlimited) : BigInt(v));
    let stored = value;
    switch (name) {
      case "memory.limit_in_bytes":
        if (await this.exists(path.join(dir, "memory.memsw.limit_in_bytes"))) {
          if (big(value) > big(await read("memory.memsw.limit_in_bytes")))
            throw errno("EINVAL", file);
        }
        stored = value === "-1" ? unlimited : value;
        break;
      case "memory.memsw.limit_in_bytes":
        if (big(value) < big(await read("memory.limit_in_bytes"))) throw errno("EINVAL", file);
        stored = value === "-1" ? unlimited : value;
        break;
      case "cgroup.procs": {
        // v1 only: on v2 an empty cpuset means "the parent's".
        const v1 = this.mountOf(dir)[1].v === 1;
        if (
          v1 &&
          (await this.exists(path.join(dir, "cpuset.cpus"))) &&
          (await read("cpuset.cpus")) === ""
        ) {
          throw errno("ENOSPC", file);
        }
        const current = await read("cgroup.procs");
        stored = current ? `${current}\n${value}` : value;
        break;
      }
      case "cgroup.freeze":
        await fs.writeFile(path.join(dir, "cgroup.events"), `populated 0\nfrozen ${value}\n`);
        break;
      case "cgroup.kill":
        await fs.writeFile(path.join(dir, "cgroup.procs"), "");
        break;
      case "cgroup.subtree_control": {
        const c = value.replace(/^\+/, "");
        if (!(await read("cgroup.controllers")).split(" ").includes(c)) throw errno("ENOENT", file);
        const enabled = new Set((await read("cgroup.subtree_control")).split(" ").filter(Boolean));
        enabled.add(c);
        stored = [...enabled].join(" ");
        await fs.writeFile(file, stored);
        for (const child of await this.subdirs(dir))
          await this.delegate(path.join(dir, child), [c]);
        this.writes.push(`${this.rel(file)}=${value}`);
        return;
      }
    }
    await fs.writeFile(file, stored);
    this.writes.push(`${this.rel(file)}=${value}`);
  }

  private mountOf(dir: string): [string, Kind] {
    const hits = [...this.mounts].filter(([m]) => dir === m || dir.startsWith(m + "/"));
    hits.sort((a, b) => b[0].length - a[0].length);
    if (hits.length === 0) throw new Error(`fake cgroupfs: ${dir} is in no mounted hierarchy`);
    return hits[0];
  }

  private async delegate(dir: string, controllers: string[]): Promise<void> {
    const available = new Set(
      (await fs.readFile(path.join(dir, "cgroup.controllers"), "utf8"))
        .split(/\s+/)
        .filter(Boolean),
    );
    for (const c of controllers) available.add(c);
    await fs.writeFile(path.join(dir, "cgroup.controllers"), [...available].join(" "));
    for (const [file, value] of Object.entries(v2ControllerFiles(controllers))) {
      if (!(await this.exists(path.join(dir, file))))
        await fs.writeFile(path.join(dir, file), value);
    }
  }

  /** The files a new cgroup in this hierarchy starts with (for v2: what the parent delegates). */
  private filesFor(dir: string, kind: Kind): Record<string, string> {
    if (kind.v === 1) return v1Files(kind.controllers);
    const delegated = this.mounts.has(dir)
      ? []
      : words(path.join(path.dirname(dir), "cgroup.subtree_control"));
    return {
      "cgroup.procs": "",
      "cgroup.controllers": delegated.join(" "),
      "cgroup.subtree_control": "",
      "cgroup.events": "populated 0\nfrozen 0\n",
      "cgroup.freeze": "0",
      "cgroup.kill": "",
      ...v2ControllerFiles(delegated),
    };
  }
}

function words(file: string): string[] {
  return readFileSync(file, "utf8").split(/\s+/).filter(Boolean);
}

function v1Files(controllers: string[]): Record<string, string> {
  const files: Record<string, string> = { "cgroup.procs": "", tasks: "" };
  for (const c of controllers) {
    switch (c) {
      case "cpu":
        Object.assign(files, {
          "cpu.shares": "1024",
          "cpu.cfs_quota_us": "-1",
          "cpu.cfs_period_us": "100000",
          "cpu.stat": "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n",
        });
        break;
      case "cpuacct":
        Object.assign(files, {
          "cpuacct.usage": "0",
          "cpuacct.usage_user": "0",
          "cpuacct.usage_sys": "0",
        });
        break;
      case "cpuset":
        Object.assign(files, { "cpuset.cpus": "", "cpuset.mems": "" });
        break;
      case "memory":
        Object.assign(files, {
          "memory.limit_in_bytes": unlimited,
          "memory.memsw.limit_in_bytes": unlimited,
          "memory.usage_in_bytes": "0",
          "memory.memsw.usage_in_bytes": "0",
          "memory.stat": "cache 0\nrss 0\ntotal_cache 0\ntotal_rss 0\ntotal_inactive_file 0\n",
          "memory.oom_control": "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n",
        });
        break;
      case "freezer":
        files["freezer.state"] = "THAWED";
        break;
      case "pids":
        Object.assign(files, { "pids.max": "max", "pids.current": "0" });
        break;
      case "hugetlb":
        Object.assign(files, {
          "hugetlb.2MB.limit_in_bytes": unlimited,
          "hugetlb.1GB.limit_in_bytes": unlimited,
        });
        break;
    }
  }
  return files;
}

function v2ControllerFiles(controllers: string[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const c of controllers) {
    switch (c) {
      case "cpu":
        Object.assign(files, { "cpu.weight": "100", "cpu.max": "max 100000" });
        break;
      case "cpuset":
        Object.assign(files, { "cpuset.cpus": "", "cpuset.mems": "" });
        break;
      case "memory":
        Object.assign(files, {
          "memory.max": "max",
          "memory.swap.max": "max",
          "memory.current": "0",
          "memory.swap.current": "0",
          "memory.stat": "anon 0\nfile 0\ninactive_file 0\n",
          "memory.events": "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n",
        });
        break;
      case "pids":
        Object.assign(files, { "pids.max": "max", "pids.current": "0" });
        break;
      case "hugetlb":
        Object.assign(files, { "hugetlb.2MB.max": "max", "hugetlb.1GB.max": "max" });
        break;
    }
  }
  return files;
}

import { detectCgroupLayout } from "../../../../agent/runtime/cgroups/detect.js";
import type { CgroupLayout } from "../../../../agent/runtime/cgroups/detect.js";
import { tempDir } from "../../../support/temp-dir.js";
import { FakeCgroupFs } from "./fake-cgroupfs.js";

export interface FakeHost {
  fs: FakeCgroupFs;
  root: string;
  mountinfo: string;
  layout: CgroupLayout;
  remove: () => void;
}

/** Like these machines: v1 with cpu and cpuacct mounted separately, name=systemd, hybrid unified. */
export async function fakeV1Host(): Promise<FakeHost> {
  const dir = tempDir("cgroupfs-v1");
  const fs = new FakeCgroupFs(dir.path);
  const v1: [string, string[]][] = [
    ["cpu", ["cpu"]],
    ["cpuacct", ["cpuacct"]],
    ["cpuset", ["cpuset"]],
    ["memory", ["memory"]],
    ["devices", ["devices"]],
    ["freezer", ["freezer"]],
    ["blkio", ["blkio"]],
    ["pids", ["pids"]],
    ["systemd", []],
  ];
  const lines: string[] = [`31 23 0:28 / ${dir.path} rw,relatime - tmpfs tmpfs rw,mode=755`];
  let id = 32;
  for (const [name, controllers] of v1) {
    await fs.mount(
      name,
      { v: 1, controllers },
      name === "cpuset" ? { "cpuset.cpus": "0-3", "cpuset.mems": "0" } : {},
    );
    const options = controllers.length > 0 ? controllers.join(",") : "xattr,name=systemd";
    lines.push(
      `${id} 31 0:${id} / ${dir.path}/${name} rw,nosuid,nodev,noexec,relatime shared:${id} - cgroup cgroup rw,${options}`,
    );
    id++;
  }
  await fs.mount("unified", { v: 2 }, { "cgroup.controllers": "hugetlb" });
  lines.push(
    `${id} 31 0:${id} / ${dir.path}/unified rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate`,
  );
  const mountinfo = lines.join("\n") + "\n";
  const layout = await detectCgroupLayout({ mountinfo, cgroupRoot: dir.path, fs });
  return { fs, root: dir.path, mountinfo, layout, remove: dir.remove };
}

/** A unified (v2-only) host with the usual controllers available at the root. */
export async function fakeV2Host(): Promise<FakeHost> {
  const dir = tempDir("cgroupfs-v2");
  const fs = new FakeCgroupFs(dir.path);
  await fs.mount(
    ".",
    { v: 2 },
    { "cgroup.controllers": "cpuset cpu io memory hugetlb pids rdma misc" },
  );
  const mountinfo = `30 23 0:26 / ${dir.path} rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n`;
  const layout = await detectCgroupLayout({ mountinfo, cgroupRoot: dir.path, fs });
  return { fs, root: dir.path, mountinfo, layout, remove: dir.remove };
}

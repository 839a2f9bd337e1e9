import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import {
  readBundleSpec,
  writeBundleSpec,
} from "../../../../agent/runtime/container/bundle-spec.js";
import {
  mergeResources,
  updateContainerResources,
} from "../../../../agent/runtime/container/update-container-resources.js";
import type { HostFacts } from "../../../../agent/runtime/oci/host-facts.js";
import type { OciSpec } from "../../../../agent/runtime/oci/oci-spec.js";
import { RecordStore } from "../../../../agent/runtime/record-store.js";
import type { ContainerRecord } from "../../../../agent/runtime/records.js";
import type { RuntimeDeps } from "../../../../agent/runtime/runtime-deps.js";
import { RuntimePaths } from "../../../../agent/runtime/runtime-paths.js";
import { internal, isBerthError, type ErrorKind } from "../../../../lib/errors.js";
import type { LinuxContainerResources__Output } from "../../../../proto/gen/runtime/v1/LinuxContainerResources.js";
import { tempDir } from "../../../support/temp-dir.js";

const host = { swapAccounting: true, hugetlb: false, cgroupVersion: 1 } as HostFacts;
const devices = [{ allow: false, access: "rwm" }];
const mib = 1024 * 1024;

function resources(r: Partial<LinuxContainerResources__Output>): LinuxContainerResources__Output {
  return {
    cpu_period: "",
    cpu_quota: "",
    cpu_shares: "",
    memory_limit_in_bytes: "",
    oom_score_adj: "",
    cpuset_cpus: "",
    cpuset_mems: "",
    hugepage_limits: [],
    unified: {},
    memory_swap_limit_in_bytes: "",
    ...r,
  };
}

async function expectError(p: Promise<unknown>, kind: ErrorKind, field: string): Promise<void> {
  const err = await p.then(
    () => expect.fail(`expected ${kind} naming ${field}`),
    (e: unknown) => e,
  );
  expect(isBerthError(err, kind), String(err)).to.equal(true);
  expect((err as { field?: string }).field).to.equal(field);
  if (kind === "InvalidArgument") expect((err as Error).message).to.contain(field);
}

describe("UpdateContainerResources in the runtime", () => {
  let dir: ReturnType<typeof tempDir>;
  let deps: RuntimeDeps;
  let record: ContainerRecord;
  let updates: { id: string; resources: object }[];
  let runcFailure: Error | undefined;

  beforeEach(async () => {
    dir = tempDir("update-resources");
    const paths = new RuntimePaths(path.join(dir.path, "root"), path.join(dir.path, "run"));
    for (const d of paths.all()) await fs.mkdir(d, { recursive: true });
    updates = [];
    runcFailure = undefined;
    const runc = {
      update: async (id: string, r: object) => {
        if (runcFailure) throw runcFailure;
        updates.push({ id, resources: r });
      },
    };
    deps = {
      paths,
      containers: new RecordStore<ContainerRecord>(paths.containerRecords),
      runc,
      cgroups: { oomKills: async () => 0 },
    } as unknown as RuntimeDeps;
    record = await deps.containers.put({ id: "c1", state: "running" } as ContainerRecord);
    await fs.mkdir(paths.bundle("c1"), { recursive: true });
    await writeBundleSpec(paths, "c1", {
      process: { oomScoreAdj: 100 },
      linux: {
        cgroupsPath: "/berth/p/c1",
        resources: {
          devices,
          cpu: { shares: 512, quota: 50_000, period: 100_000 },
          memory: { limit: 64 * mib, swap: 64 * mib },
        },
      },
    } as unknown as OciSpec);
  });
  afterEach(() => dir.remove());

  it("keeps the fields the update leaves unset, and gives runc no device rules", async () => {
    await updateContainerResources(
      deps,
      record,
      resources({ memory_limit_in_bytes: String(128 * mib) }),
      host,
    );
    const expected = {
      cpu: { shares: 512, quota: 50_000, period: 100_000 },
      memory: { limit: 128 * mib, swap: 128 * mib },
    };
    expect(updates).to.deep.equal([{ id: "c1", resources: expected }]);
    const spec = await readBundleSpec(deps.paths, "c1");
    expect(spec?.linux.resources).to.deep.equal({ devices, ...expected });
    expect(spec?.linux.cgroupsPath).to.equal("/berth/p/c1");
  });

  it("refuses bad limits naming the request field, touching nothing", async () => {
    const before = await readBundleSpec(deps.paths, "c1");
    await expectError(
      updateContainerResources(deps, record, resources({ cpu_quota: "-5" }), host),
      "InvalidArgument",
      "linux.cpu_quota",
    );
    await expectError(
      updateContainerResources(
        deps,
        record,
        resources({ memory_limit_in_bytes: String(64 * mib), memory_swap_limit_in_bytes: "1000" }),
        host,
      ),
      "InvalidArgument",
      "linux.memory_swap_limit_in_bytes",
    );
    await expectError(
      updateContainerResources(deps, record, resources({ unified: { "memory.max": "1" } }), host),
      "InvalidArgument",
      "linux.unified",
    );
    expect(updates).to.deep.equal([]);
    expect(await readBundleSpec(deps.paths, "c1")).to.deep.equal(before);
  });

  it("refuses a container that has exited", async () => {
    await fs.writeFile(path.join(deps.paths.exits, "c1"), "0");
    await expectError(
      updateContainerResources(deps, record, resources({ cpu_shares: "256" }), host),
      "FailedPrecondition",
      "container_id",
    );
    expect(updates).to.deep.equal([]);
  });

  it("puts the old spec back when the kernel refuses the new limits", async () => {
    const before = await readBundleSpec(deps.paths, "c1");
    runcFailure = internal(
      "runc update: exit 1: failed to write 1048576 to memory.limit_in_bytes: device or resource busy",
    );
    await expectError(
      updateContainerResources(
        deps,
        record,
        resources({ memory_limit_in_bytes: String(mib) }),
        host,
      ),
      "FailedPrecondition",
      "linux",
    );
    expect(await readBundleSpec(deps.paths, "c1")).to.deep.equal(before);
  });

  it("merges field by field", () => {
    expect(
      mergeResources(
        { devices, cpu: { shares: 2, cpus: "0" }, memory: { limit: 5 } },
        { cpu: { quota: 1000 }, hugepageLimits: [{ pageSize: "2MB", limit: 0 }] },
      ),
    ).to.deep.equal({
      devices,
      cpu: { shares: 2, cpus: "0", quota: 1000 },
      memory: { limit: 5 },
      hugepageLimits: [{ pageSize: "2MB", limit: 0 }],
    });
  });
});

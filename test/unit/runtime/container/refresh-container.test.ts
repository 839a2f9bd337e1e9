import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { refreshContainer } from "../../../../agent/runtime/container/refresh-container.js";
import { RecordStore } from "../../../../agent/runtime/record-store.js";
import type { ContainerRecord } from "../../../../agent/runtime/records.js";
import type { RuntimeDeps } from "../../../../agent/runtime/runtime-deps.js";
import { RuntimePaths } from "../../../../agent/runtime/runtime-paths.js";
import { notFound } from "../../../../lib/errors.js";
import { tempDir } from "../../../support/temp-dir.js";

describe("refreshContainer: exits and OOM kills", () => {
  let dir: ReturnType<typeof tempDir>;
  let deps: RuntimeDeps;
  let oomKills: () => Promise<number>;
  const warnings: string[] = [];

  beforeEach(async () => {
    dir = tempDir("refresh-container");
    const paths = new RuntimePaths(path.join(dir.path, "root"), path.join(dir.path, "run"));
    for (const d of paths.all()) await fs.mkdir(d, { recursive: true });
    oomKills = async () => 0;
    warnings.length = 0;
    const logger = { warn: (message: string) => warnings.push(message) };
    deps = {
      paths,
      containers: new RecordStore<ContainerRecord>(paths.containerRecords),
      cgroups: { oomKills: () => oomKills() },
      logger,
    } as unknown as RuntimeDeps;
  });
  afterEach(() => dir.remove());

  async function exitWith(code: number): Promise<ContainerRecord> {
    const record = await deps.containers.put({
      id: "c1",
      state: "running",
      cgroup: "/berth/p/c1",
      startedAt: "1",
    } as ContainerRecord);
    await fs.writeFile(path.join(deps.paths.exits, "c1"), String(code));
    return refreshContainer(deps, record);
  }

  it("leaves a running container whose conmon recorded no exit alone", async () => {
    const record = await deps.containers.put({ id: "c1", state: "running" } as ContainerRecord);
    expect(await refreshContainer(deps, record)).to.deep.equal(record);
  });

  it("calls an init killed by SIGKILL after an OOM kill in its cgroup OOMKilled, 137", async () => {
    oomKills = async () => 1;
    const r = await exitWith(137);
    expect([r.state, r.exitCode, r.reason]).to.deep.equal(["exited", 137, "OOMKilled"]);
  });

  it("does not call a container OOMKilled when its init exited by itself after a child's OOM kill", async () => {
    oomKills = async () => 1;
    const completed = await exitWith(0);
    expect([completed.exitCode, completed.reason]).to.deep.equal([0, "Completed"]);
  });

  it("calls a SIGKILL without an OOM kill Error", async () => {
    const r = await exitWith(137);
    expect([r.exitCode, r.reason]).to.deep.equal([137, "Error"]);
  });

  it("reports the exit, and logs why, when the OOM count cannot be read", async () => {
    oomKills = async () => {
      throw notFound("cannot read the OOM kill count of cgroup /berth/p/c1");
    };
    const r = await exitWith(137);
    expect([r.state, r.exitCode, r.reason]).to.deep.equal(["exited", 137, "Error"]);
    expect(warnings).to.deep.equal([
      "cannot read the OOM kill count; reporting the exit without it",
    ]);
  });
});

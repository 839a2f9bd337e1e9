import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { PodInspector } from "../../../../../agent/kubelet/sync/pod-inspector.js";
import {
  readLogTail,
  readMessageFile,
} from "../../../../../agent/kubelet/sync/termination-message.js";
import { tempDir } from "../../../../support/temp-dir.js";
import { FakeRuntime } from "./fake-runtime.js";
import { simpleSpec } from "./simple-spec.js";
import { testPod } from "./runtime-fixtures.js";

describe("agent/kubelet/sync termination messages", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir("termination-message")));
  afterEach(() => dir.remove());

  it("reads the message file up to 4 KiB, and nothing when there is none", async () => {
    const file = path.join(dir.path, "termination-log");
    await fs.writeFile(file, "x".repeat(5000));
    expect(await readMessageFile(file)).to.have.length(4096);
    expect(await readMessageFile(path.join(dir.path, "absent"))).to.equal("");
  });

  it("falls back to the last 80 lines of the CRI log, without their prefixes, 2 KiB at most", async () => {
    const log = path.join(dir.path, "0.log");
    const lines = [];
    for (let i = 1; i <= 100; i++) lines.push(`2025-06-01T10:00:00.000000000Z stdout F line ${i}`);
    lines.push(
      "2025-06-01T10:00:00.000000000Z stderr P par",
      "2025-06-01T10:00:00.000000000Z stderr F tial",
    );
    await fs.writeFile(log, `${lines.join("\n")}\n`);
    const tail = await readLogTail(log);
    const got = tail.trimEnd().split("\n");
    expect(got).to.have.length(80);
    expect(got[0]).to.equal("line 22");
    expect(got.at(-1)).to.equal("partial");
    await fs.writeFile(log, `2025-06-01T10:00:00Z stdout F ${"y".repeat(3000)}\n`);
    expect(Buffer.byteLength(await readLogTail(log))).to.equal(2048);
  });

  it("gives an exited container its message from the file mounted at its message path", async () => {
    const runtime = new FakeRuntime();
    runtime.images.set("img", { id: "img", user: "" });
    const spec = simpleSpec();
    const pod = testPod();
    const { pod_sandbox_id } = await runtime.runPodSandbox({
      config: (await spec.sandboxConfig(pod, 0)).config,
    });
    const { config } = await spec.containerConfig(pod, pod.spec!.containers[0], {
      restartCount: 0,
      imageRef: "img",
      imageUser: "",
      podIPs: [],
      volumes: new Map(),
    });
    const file = path.join(dir.path, "msg");
    await fs.writeFile(file, "bye");
    config.mounts = [{ container_path: "/dev/termination-log", host_path: file }];
    const { container_id } = await runtime.createContainer({ pod_sandbox_id, config });
    await runtime.startContainer({ container_id });
    const inspector = new PodInspector(runtime, spec);
    expect((await inspector.inspect("uid-1")).containers[0].message).to.equal("");
    runtime.exit(container_id, 2);
    const state = await inspector.inspect("uid-1");
    expect(state.containers[0]).to.deep.include({ state: "exited", exitCode: 2, message: "bye" });
    expect(state.ips).to.deep.equal(["10.0.0.1"]);
    expect(state.sandboxes[0]).to.deep.include({ id: pod_sandbox_id, ready: true, attempt: 0 });
  });
});

import { expect } from "chai";
import { Registry } from "prom-client";
import {
  instrumentedRuntime,
  runtimeOperationTypes,
  RuntimeOperationMetrics,
} from "../../../../../agent/kubelet/metrics/runtime-operations.js";
import {
  inProcessRuntime,
  type InProcessCriDeps,
} from "../../../../../agent/kubelet/runtime/in-process-runtime.js";
import { FakeRuntime } from "../sync/fake-runtime.js";
import { bucketBounds, sample } from "./exposition.js";

const total = (r: Registry, op: string) =>
  sample(r, "kubelet_runtime_operations_total", { operation_type: op });
const errors = (r: Registry, op: string) =>
  sample(r, "kubelet_runtime_operations_errors_total", { operation_type: op });
const timed = (r: Registry, op: string) =>
  sample(r, "kubelet_runtime_operations_duration_seconds_count", { operation_type: op });

describe("agent/kubelet/metrics runtime operations", () => {
  it("names every call as kubelet's instrumented_services.go does", () => {
    expect(runtimeOperationTypes).to.deep.equal({
      runPodSandbox: "run_podsandbox",
      stopPodSandbox: "stop_podsandbox",
      removePodSandbox: "remove_podsandbox",
      podSandboxStatus: "podsandbox_status",
      listPodSandbox: "list_podsandbox",
      createContainer: "create_container",
      startContainer: "start_container",
      stopContainer: "stop_container",
      removeContainer: "remove_container",
      containerStatus: "container_status",
      listContainers: "list_containers",
      execSync: "exec_sync",
      pullImage: "pull_image",
      imageStatus: "image_status",
    });
  });

  it("counts and times each call, and its failures, keeping the runtime's own behaviour", async () => {
    const registry = new Registry();
    const fake = new FakeRuntime();
    const runtime = instrumentedRuntime(fake, new RuntimeOperationMetrics(registry));
    const { pod_sandbox_id } = await runtime.runPodSandbox({ config: { metadata: { uid: "u" } } });
    expect(fake.sandboxes.has(pod_sandbox_id)).to.equal(true);
    await runtime.listPodSandbox({});
    await runtime.listPodSandbox({});
    fake.pullErrors.set("missing:1", "manifest unknown");
    const failed = await runtime.pullImage({ image: { image: "missing:1" } }).catch((e) => e);
    expect((failed as Error).message).to.equal("manifest unknown");

    expect(await total(registry, "run_podsandbox")).to.equal(1);
    expect(await total(registry, "list_podsandbox")).to.equal(2);
    expect(await timed(registry, "list_podsandbox")).to.equal(2);
    expect(await total(registry, "pull_image")).to.equal(1);
    expect(await timed(registry, "pull_image")).to.equal(1);
    expect(await errors(registry, "pull_image")).to.equal(1);
    expect(await errors(registry, "list_podsandbox")).to.equal(undefined);
    expect(await total(registry, "create_container")).to.equal(undefined);
  });

  it("uses kubelet's buckets: ExponentialBuckets(.005, 2.5, 14)", async () => {
    const registry = new Registry();
    await new RuntimeOperationMetrics(registry).measure("version", async () => undefined);
    expect(
      await bucketBounds(registry, "kubelet_runtime_operations_duration_seconds"),
    ).to.deep.equal([
      "0.005",
      "0.0125",
      "0.03125",
      "0.078125",
      "0.1953125",
      "0.48828125",
      "1.220703125",
      "3.0517578125",
      "7.62939453125",
      "19.073486328125",
      "47.6837158203125",
      "119.20928955078125",
      "298.0232238769531",
      "745.0580596923828",
      "+Inf",
    ]);
  });

  it("instruments the in-process runtime when given the metrics", async () => {
    const registry = new Registry();
    const deps = { runtime: { sandboxes: { list: () => [], get: () => undefined } } };
    const runtime = inProcessRuntime(
      deps as unknown as InProcessCriDeps,
      new RuntimeOperationMetrics(registry),
    );
    expect((await runtime.listPodSandbox({})).items).to.deep.equal([]);
    await runtime.stopPodSandbox({}).catch(() => undefined); // InvalidArgument: no id
    expect(await total(registry, "list_podsandbox")).to.equal(1);
    expect(await total(registry, "stop_podsandbox")).to.equal(1);
    expect(await errors(registry, "stop_podsandbox")).to.equal(1);
  });
});

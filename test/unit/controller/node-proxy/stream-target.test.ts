import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import { createMetricsRegistry } from "../../../../lib/metrics.js";
import type { ApiDeps } from "../../../../controller/api/context.js";
import { ApiMetrics } from "../../../../controller/api/metrics/api-metrics.js";
import {
  defaultPreferredAddressTypes,
  type NodeStreamingConfig,
} from "../../../../controller/api/node-proxy/node-streaming-config.js";
import {
  agentPath,
  resolveStreamTarget,
} from "../../../../controller/api/node-proxy/stream-target.js";
import { ObjectKeys } from "../../../../controller/api/object-keys.js";
import { ResourceStore } from "../../../../controller/api/objects/resource-store.js";
import { ResourceRegistry } from "../../../../controller/api/resource-registry.js";
import { ApiError } from "../../../../controller/api/status.js";
import { builtinResourceTypes } from "../../../../controller/resources/registry.js";
import { MemoryStore } from "../../../support/memory-store.js";

const config: NodeStreamingConfig = {
  tls: { cert: "", key: "" },
  preferredAddressTypes: defaultPreferredAddressTypes,
  defaultPort: 10250,
  dialTimeoutMs: 1000,
};

describe("resolving a pod stream's target", () => {
  let deps: ApiDeps;

  beforeEach(async () => {
    const registry = new ResourceRegistry(builtinResourceTypes);
    deps = {
      resources: new ResourceStore(new MemoryStore(), new ObjectKeys()),
      registry,
      logger: silentLogger(),
      metrics: new ApiMetrics(createMetricsRegistry()),
      now: () => new Date(),
      serverAddress: "127.0.0.1:0",
    };
    const create = (plural: string, namespace: string, obj: Record<string, unknown>) =>
      deps.resources.create(registry.find("", "v1", plural)!, namespace, obj as never);
    await create("nodes", "", {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n1" },
      status: {
        addresses: [{ type: "InternalIP", address: "10.1.2.3" }],
        daemonEndpoints: { kubeletEndpoint: { Port: 10444 } },
      },
    });
    const pod = (name: string, nodeName?: string) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "ns" },
      spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: "app", image: "busybox" }] },
    });
    await create("pods", "ns", pod("bound", "n1"));
    await create("pods", "ns", pod("pending"));
    await create("pods", "ns", pod("orphan", "gone"));
  });

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail("resolved"),
      (err: ApiError) => [err.code, err.message],
    );

  it("finds the container and the node's agent address", async () => {
    const target = await resolveStreamTarget(deps, config, "ns", "bound", "");
    expect(target).to.deep.equal({
      namespace: "ns",
      pod: "bound",
      container: "app",
      endpoint: { nodeName: "n1", host: "10.1.2.3", port: 10444 },
    });
    expect(agentPath("exec", target)).to.equal("/exec/ns/bound/app");
    const whole = await resolveStreamTarget(deps, config, "ns", "bound", undefined);
    expect(whole.container).to.equal(undefined);
    expect(agentPath("portForward", whole)).to.equal("/portForward/ns/bound");
  });

  it("has no endpoint for a pod not bound to a node", async () => {
    const target = await resolveStreamTarget(deps, config, "ns", "pending", "app");
    expect(target.endpoint).to.equal(undefined);
  });

  it("checks the pod, then the container, then the node", async () => {
    expect(await failure(resolveStreamTarget(deps, config, "ns", "nosuch", "app"))).to.deep.equal([
      404,
      'pods "nosuch" not found',
    ]);
    expect(await failure(resolveStreamTarget(deps, config, "ns", "orphan", "nope"))).to.deep.equal([
      400,
      "container nope is not valid for pod orphan",
    ]);
    expect(await failure(resolveStreamTarget(deps, config, "ns", "orphan", ""))).to.deep.equal([
      404,
      'nodes "gone" not found',
    ]);
  });
});

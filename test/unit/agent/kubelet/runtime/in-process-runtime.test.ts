import { expect } from "chai";
import { BerthError } from "../../../../../lib/errors.js";
import { criMethodCodec } from "../../../../../agent/kubelet/runtime/cri-codec.js";
import {
  inProcessRuntime,
  type InProcessCriDeps,
} from "../../../../../agent/kubelet/runtime/in-process-runtime.js";

const record = {
  id: "0123abcd",
  state: "ready",
  createdAt: "1700000000000000001",
  config: {
    metadata: { name: "web", uid: "u1", namespace: "default", attempt: 2 },
    labels: { app: "web" },
  },
  runtimeHandler: "",
};

function runtimeOver(sandboxes: object[]) {
  const deps = { runtime: { sandboxes: { list: () => sandboxes, get: () => undefined } } };
  return inProcessRuntime(deps as unknown as InProcessCriDeps);
}

async function failure(p: Promise<unknown>): Promise<BerthError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(BerthError);
    return err as BerthError;
  }
  throw new Error("expected a failure");
}

describe("agent/kubelet/runtime inProcessRuntime", () => {
  it("answers as a gRPC client would see it: every field, int64 as strings, enums by name", async () => {
    const { items } = await runtimeOver([record]).listPodSandbox({});
    expect(items).to.deep.equal([
      {
        id: "0123abcd",
        metadata: { name: "web", uid: "u1", namespace: "default", attempt: 2 },
        state: "SANDBOX_READY",
        created_at: "1700000000000000001",
        labels: { app: "web" },
        annotations: {},
        runtime_handler: "",
      },
    ]);
  });

  it("hands the handler a decoded request, with the defaults a gRPC server fills in", async () => {
    // StopPodSandbox with no id: the handler sees "" (the proto default) and says so.
    const err = await failure(runtimeOver([record]).stopPodSandbox({}));
    expect(err.kind).to.equal("InvalidArgument");
    expect(err.message).to.equal("pod_sandbox_id must be set");
    // A filter with an enum value by number arrives by name, as over the wire.
    const ready = await runtimeOver([record]).listPodSandbox({ filter: { state: { state: 0 } } });
    expect(ready.items.map((i) => i.id)).to.deep.equal(["0123abcd"]);
    const notReady = await runtimeOver([record]).listPodSandbox({
      filter: { state: { state: 1 } },
    });
    expect(notReady.items).to.deep.equal([]);
  });

  it("keeps the handlers' typed errors", async () => {
    const err = await failure(runtimeOver([]).podSandboxStatus({ pod_sandbox_id: "nope" }));
    expect(err.kind).to.equal("NotFound");
  });

  it("refuses a request that cannot be encoded, as InvalidArgument naming the RPC", async () => {
    const bad = { config: "not a message" } as unknown as Parameters<
      ReturnType<typeof runtimeOver>["runPodSandbox"]
    >[0];
    const err = await failure(runtimeOver([]).runPodSandbox(bad));
    expect(err.kind).to.equal("InvalidArgument");
    expect(err.message).to.match(/^RunPodSandbox request cannot be encoded: /);
  });

  it("knows only the CRI's methods", () => {
    expect(() => criMethodCodec("RuntimeService", "NoSuchCall")).to.throw(
      /no method RuntimeService\/NoSuchCall/,
    );
  });
});

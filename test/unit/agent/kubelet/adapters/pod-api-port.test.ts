import { expect } from "chai";
import { createPodApiPort } from "../../../../../agent/kubelet/adapters/pod-api-port.js";
import type { PatchType } from "../../../../../agent/kube/kube-client.js";
import type { ObjectReference } from "../../../../../agent/kube/types.js";
import { silentLogger } from "../../../../../lib/logger.js";

interface Call {
  verb: string;
  path: string;
  body: unknown;
  type?: PatchType;
}

function harness(current?: Record<string, string>) {
  const calls: Call[] = [];
  const events: unknown[][] = [];
  const api = createPodApiPort({
    client: {
      async patch<T>(path: string, body: unknown, type: PatchType): Promise<T> {
        calls.push({ verb: "PATCH", path, body, type });
        return {} as T;
      },
      async delete<T>(path: string, body?: object): Promise<T> {
        calls.push({ verb: "DELETE", path, body });
        return {} as T;
      },
    },
    events: { record: (...args: unknown[]) => void events.push(args) },
    logger: silentLogger(),
    currentUid: current ? (ns, name) => current[`${ns}/${name}`] : undefined,
  });
  return { api, calls, events };
}

describe("kubelet adapters: the pod API port", () => {
  it("writes status as a strategic merge patch of pods/<name>/status", async () => {
    const { api, calls } = harness();
    await api.patchPodStatus("prod", "web-1", "uid-1", { phase: "Running" });
    expect(calls).to.have.length(1);
    expect(calls[0]).to.include({
      verb: "PATCH",
      path: "/api/v1/namespaces/prod/pods/web-1/status",
      type: "strategic",
    });
    expect(calls[0].body).to.nested.include({ "metadata.uid": "uid-1", "status.phase": "Running" });
  });

  it("does not write the status of a pod that another pod of the same name replaced", async () => {
    const { api, calls } = harness({ "prod/web-1": "uid-2" });
    await api.patchPodStatus("prod", "web-1", "uid-1", { phase: "Failed" });
    expect(calls).to.deep.equal([]);
    await api.patchPodStatus("prod", "web-1", "uid-2", { phase: "Running" });
    expect(calls).to.have.length(1);
  });

  it("writes when the watch does not know the pod (yet)", async () => {
    const { api, calls } = harness({});
    await api.patchPodStatus("prod", "web-1", "uid-1", { phase: "Pending" });
    expect(calls).to.have.length(1);
  });

  it("confirms a deletion with grace 0 and the pod's uid as a precondition", async () => {
    const { api, calls } = harness();
    await api.deletePod("prod", "web-1", "uid-1");
    expect(calls).to.deep.equal([
      {
        verb: "DELETE",
        path: "/api/v1/namespaces/prod/pods/web-1",
        body: {
          apiVersion: "v1",
          kind: "DeleteOptions",
          gracePeriodSeconds: 0,
          preconditions: { uid: "uid-1" },
        },
      },
    ]);
  });

  it("hands events to the node's recorder", () => {
    const { api, events } = harness();
    const ref: ObjectReference = { kind: "Pod", namespace: "prod", name: "web-1", uid: "uid-1" };
    api.recordEvent(ref, "Normal", "Pulled", "already present");
    expect(events).to.deep.equal([[ref, "Normal", "Pulled", "already present"]]);
  });
});

import { expect } from "chai";
import { notReadyPodStatus } from "../../../../controller/nodelifecycle/pod-readiness.js";
import { at, pod } from "./fixtures.js";

describe("marking pods of a node that is not Ready", () => {
  it("turns the Ready condition False at now, leaving the rest of the status", () => {
    const status = notReadyPodStatus(pod("p", { nodeName: "a" }), at(50))!;
    expect(status.phase).to.equal("Running");
    expect(status.conditions).to.deep.equal([
      { type: "PodScheduled", status: "True", lastTransitionTime: at(-100) },
      { type: "Ready", status: "False", lastTransitionTime: at(50) },
    ]);
  });

  it("writes nothing when the pod is not Ready already or has no Ready condition", () => {
    expect(notReadyPodStatus(pod("p", { nodeName: "a", ready: "False" }), at(50))).to.equal(
      undefined,
    );
    const bare = pod("p", { nodeName: "a" });
    delete bare.status;
    expect(notReadyPodStatus(bare, at(50))).to.equal(undefined);
  });

  it("marks an Unknown Ready condition False as well", () => {
    const status = notReadyPodStatus(pod("p", { nodeName: "a", ready: "Unknown" }), at(50))!;
    expect((status.conditions as Array<Record<string, unknown>>)[1].status).to.equal("False");
  });
});

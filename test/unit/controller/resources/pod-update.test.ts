import { expect } from "chai";
import { podSpecUpdateMessage } from "../../../../controller/resources/validation/pod-update.js";
import { cause, clone, minimalPod, stored, update } from "./fixtures/kinds.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- editing stored pods */

const expectedMessage =
  "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

const forbiddenSpec = [cause("FieldValueForbidden", "spec", `Forbidden: ${expectedMessage}`)];

function storedPod(edit: (spec: any) => void = () => {}): any {
  const pod = minimalPod() as any;
  pod.metadata.uid = "u1";
  pod.metadata.resourceVersion = "5";
  pod.spec.initContainers = [{ name: "init", image: "busybox:1.36" }];
  pod.spec.tolerations = [
    { key: "a", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
  ];
  pod.spec.activeDeadlineSeconds = 600;
  edit(pod.spec);
  return stored("pods", pod);
}

function change(edit: (spec: any) => void, base = storedPod()) {
  const next = clone(base);
  edit(next.spec);
  return update("pods", next, base);
}

describe("controller/resources pod updates", () => {
  it("words the rule exactly as Kubernetes does", () => {
    expect(podSpecUpdateMessage).to.equal(expectedMessage);
  });

  it("allows changing container and init container images", () => {
    expect(
      change((s) => {
        s.containers[0].image = "nginx:1.28";
        s.initContainers[0].image = "busybox:1.37";
      }),
    ).to.deep.equal([]);
  });

  it("still requires an image when changing it", () => {
    expect(change((s) => (s.containers[0].image = ""))).to.deep.equal([
      cause("FieldValueRequired", "spec.containers[0].image", "Required value"),
    ]);
  });

  it("allows shortening activeDeadlineSeconds but not lengthening or removing it", () => {
    expect(change((s) => (s.activeDeadlineSeconds = 300))).to.deep.equal([]);
    expect(change((s) => (s.activeDeadlineSeconds = 900))).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.activeDeadlineSeconds",
        "Invalid value: 900: must be less than or equal to previous value",
      ),
    ]);
    expect(change((s) => delete s.activeDeadlineSeconds)).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.activeDeadlineSeconds",
        "Invalid value: null: must not update from a positive integer to nil value",
      ),
    ]);
  });

  it("allows added tolerations and new tolerationSeconds, not changed or removed ones", () => {
    expect(change((s) => s.tolerations.push({ key: "b", operator: "Exists" }))).to.deep.equal([]);
    expect(change((s) => (s.tolerations[0].tolerationSeconds = 60))).to.deep.equal([]);
    const message =
      "Forbidden: existing toleration can not be modified except its tolerationSeconds";
    expect(change((s) => (s.tolerations[0].key = "c"))).to.deep.equal([
      cause("FieldValueForbidden", "spec.tolerations", message),
    ]);
    expect(change((s) => (s.tolerations = []))).to.deep.equal([
      cause("FieldValueForbidden", "spec.tolerations", message),
    ]);
  });

  it("forbids any other spec change with one cause on spec", () => {
    expect(change((s) => (s.containers[0].command = ["sh"]))).to.deep.equal(forbiddenSpec);
    expect(change((s) => (s.restartPolicy = "Never"))).to.deep.equal(forbiddenSpec);
    expect(change((s) => (s.nodeSelector = { disk: "ssd" }))).to.deep.equal(forbiddenSpec);
    expect(change((s) => (s.terminationGracePeriodSeconds = 10))).to.deep.equal(forbiddenSpec);
  });

  it("treats setting spec.nodeName as a forbidden change (only a binding may)", () => {
    expect(change((s) => (s.nodeName = "node-1"))).to.deep.equal(forbiddenSpec);
  });

  it("forbids adding or removing containers", () => {
    expect(change((s) => s.containers.push({ name: "b", image: "b" }))).to.deep.equal([
      cause(
        "FieldValueForbidden",
        "spec.containers",
        "Forbidden: pod updates may not add or remove containers",
      ),
    ]);
  });

  it("lets terminationGracePeriodSeconds go from negative to 1 only", () => {
    const negative = storedPod((s) => (s.terminationGracePeriodSeconds = -1));
    expect(change((s) => (s.terminationGracePeriodSeconds = 1), negative)).to.deep.equal([]);
    expect(change((s) => (s.terminationGracePeriodSeconds = 2), negative)).to.deep.equal(
      forbiddenSpec,
    );
  });

  it("lets scheduling gates be removed, not added", () => {
    const gated = storedPod((s) => (s.schedulingGates = [{ name: "example.com/wait" }]));
    expect(change((s) => (s.schedulingGates = []), gated)).to.deep.equal([]);
    expect(
      change((s) => s.schedulingGates.push({ name: "example.com/more" }), gated),
    ).to.deep.equal([
      cause(
        "FieldValueForbidden",
        "spec.schedulingGates",
        "Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/more'",
      ),
    ]);
  });

  it("accepts a resend of the same pod, explicit zero values included", () => {
    expect(change((s) => (s.hostNetwork = false))).to.deep.equal([]);
    const base = storedPod();
    const resent = clone(base);
    resent.metadata.labels = { app: "web" };
    expect(update("pods", resent, base)).to.deep.equal([]);
  });

  it("accepts a status-only change (spec untouched)", () => {
    const base = storedPod();
    const next = clone(base);
    next.status = { ...next.status, phase: "Running", podIP: "10.88.0.2" };
    expect(update("pods", next, base)).to.deep.equal([]);
  });
});

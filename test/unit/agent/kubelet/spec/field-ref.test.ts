import { expect } from "chai";
import { formatMap, podFieldValue } from "../../../../../agent/kubelet/spec/field-ref.js";
import { isBerthError } from "../../../../../lib/errors.js";
import { makePod } from "./pod-fixture.js";

const pod = makePod(
  { nodeName: "node-1", serviceAccountName: "builder" },
  { labels: { app: "web", tier: "front" }, annotations: { "example.com/note": 'say "hi"' } },
);
const facts = { podIPs: ["10.0.0.5", "fd00::5"], hostIPs: ["192.168.1.2", "fd01::2"] };
const value = (fieldPath: string, f = facts) => podFieldValue({ fieldPath }, pod, f);

describe("agent/kubelet/spec fieldRef (downward API env)", () => {
  it("exposes the pod's name, namespace and uid", () => {
    expect(value("metadata.name")).to.equal("web");
    expect(value("metadata.namespace")).to.equal("default");
    expect(value("metadata.uid")).to.equal("uid-1");
  });

  it("exposes one label or annotation by key, empty when absent", () => {
    expect(value("metadata.labels['app']")).to.equal("web");
    expect(value("metadata.annotations['example.com/note']")).to.equal('say "hi"');
    expect(value("metadata.labels['missing']")).to.equal("");
  });

  it('exposes all labels or annotations as sorted key="value" lines', () => {
    expect(value("metadata.labels")).to.equal('app="web"\ntier="front"');
    expect(value("metadata.annotations")).to.equal('example.com/note="say \\"hi\\""');
  });

  it("exposes spec.nodeName and spec.serviceAccountName", () => {
    expect(value("spec.nodeName")).to.equal("node-1");
    expect(value("spec.serviceAccountName")).to.equal("builder");
  });

  it("exposes the primary IPs and the comma-joined lists of pod and node IPs", () => {
    expect(value("status.podIP")).to.equal("10.0.0.5");
    expect(value("status.podIPs")).to.equal("10.0.0.5,fd00::5");
    expect(value("status.hostIP")).to.equal("192.168.1.2");
    expect(value("status.hostIPs")).to.equal("192.168.1.2,fd01::2");
  });

  it("gives an empty pod IP before the sandbox has one", () => {
    expect(value("status.podIP", { podIPs: [], hostIPs: facts.hostIPs })).to.equal("");
  });

  it("rejects an unsupported field, a subscript on a plain field and a version other than v1", () => {
    const rejects = (ref: { apiVersion?: string; fieldPath: string }, text: string) => {
      let caught: unknown;
      try {
        podFieldValue(ref, pod, facts, "spec.containers[0].env[1].valueFrom.fieldRef");
      } catch (err) {
        caught = err;
      }
      expect(isBerthError(caught, "InvalidArgument")).to.equal(true);
      expect((caught as Error).message).to.contain(text);
      expect((caught as Error).message).to.contain("spec.containers[0].env[1]");
    };
    rejects({ fieldPath: "spec.restartPolicyX" }, "field label not supported: spec.restartPolicyX");
    rejects({ fieldPath: "metadata.name['x']" }, "does not support subscript");
    rejects({ apiVersion: "v2", fieldPath: "metadata.name" }, "unsupported pod version: v2");
  });

  it("quotes map values as Go's %q does (control characters escaped)", () => {
    expect(formatMap({ b: "x\ty", a: "\u0007" })).to.equal('a="\\a"\nb="x\\ty"');
  });
});

import { expect } from "chai";
import {
  containerNames,
  pickContainer,
} from "../../../../controller/api/node-proxy/pod-container.js";
import { ApiError } from "../../../../controller/api/status.js";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";

const pod = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "default" },
  spec,
});

const failure = (p: KubeObject, name: string) => {
  try {
    pickContainer(p, name);
  } catch (err) {
    expect(err).to.be.instanceOf(ApiError);
    return [(err as ApiError).code, (err as ApiError).message];
  }
  throw new Error(`${name} was accepted`);
};

describe("the container a log or exec request is about", () => {
  const duo = pod({
    initContainers: [{ name: "setup" }],
    containers: [{ name: "app" }, { name: "sidecar" }],
    ephemeralContainers: [{ name: "debugger" }],
  });

  it("is the one named, which may be any of the pod's containers", () => {
    for (const name of ["app", "sidecar", "setup", "debugger"]) {
      expect(pickContainer(duo, name)).to.equal(name);
    }
    expect(containerNames(duo)).to.deep.equal(["setup", "app", "sidecar", "debugger"]);
  });

  it("is the only container when none is named", () => {
    expect(pickContainer(pod({ containers: [{ name: "only" }] }), "")).to.equal("only");
  });

  it("must be named when the pod has several, listing every choice", () => {
    expect(failure(duo, "")).to.deep.equal([
      400,
      "a container name must be specified for pod web, choose one of: [setup app sidecar debugger]",
    ]);
    expect(failure(pod({ containers: [] }), "")).to.deep.equal([
      400,
      "a container name must be specified for pod web",
    ]);
  });

  it("refuses a name the pod does not have", () => {
    expect(failure(duo, "nope")).to.deep.equal([400, "container nope is not valid for pod web"]);
  });
});

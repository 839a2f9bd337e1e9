import { expect } from "chai";
import { effectivePullPolicy } from "../../../../../agent/kubelet/spec/image-pull-policy.js";
import { isBerthError } from "../../../../../lib/errors.js";

const digest = `sha256:${"ab".repeat(32)}`;
const policy = (image: string, imagePullPolicy?: "Always" | "IfNotPresent" | "Never") =>
  effectivePullPolicy({ name: "app", image, imagePullPolicy });

describe("agent/kubelet/spec image pull policy", () => {
  it("keeps a policy the container sets", () => {
    expect(policy("busybox:latest", "Never")).to.equal("Never");
    expect(policy("busybox:1.36", "Always")).to.equal("Always");
  });

  it("defaults to Always for an image tagged :latest", () => {
    expect(policy("busybox:latest")).to.equal("Always");
    expect(policy("registry:5000/team/app:latest")).to.equal("Always");
  });

  it("defaults to Always for an image without a tag (which means :latest)", () => {
    expect(policy("busybox")).to.equal("Always");
    expect(policy("localhost:5000/app")).to.equal("Always");
  });

  it("defaults to IfNotPresent for any other tag", () => {
    expect(policy("busybox:1.36")).to.equal("IfNotPresent");
    expect(policy("registry:5000/app:v2")).to.equal("IfNotPresent");
  });

  it("defaults to IfNotPresent for an image named by digest alone", () => {
    expect(policy(`busybox@${digest}`)).to.equal("IfNotPresent");
  });

  it("defaults to Always for :latest even with a digest, as Kubernetes reads the tag", () => {
    expect(policy(`busybox:latest@${digest}`)).to.equal("Always");
  });

  it("rejects an invalid image reference with an error naming the field", () => {
    let caught: unknown;
    try {
      effectivePullPolicy({ name: "app", image: "Bad Image" }, "spec.containers[0].image");
    } catch (err) {
      caught = err;
    }
    expect(isBerthError(caught, "InvalidArgument")).to.equal(true);
    expect((caught as Error).message).to.contain("spec.containers[0].image");
  });
});

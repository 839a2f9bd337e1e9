import { expect } from "chai";
import { containerResourceValue } from "../../../../../agent/kubelet/spec/resource-field-ref.js";
import { makePod, withResources } from "./pod-fixture.js";

const allocatable = { cpu: "4", memory: "8Gi", "ephemeral-storage": "100Gi" };
const pod = makePod({
  containers: [
    withResources("app", { cpu: "250m", memory: "64Mi" }, { cpu: "1500m", memory: "128Mi" }),
    withResources("side", { cpu: "100m" }),
  ],
});
const app = pod.spec!.containers[0];
const side = pod.spec!.containers[1];
const value = (resource: string, divisor?: string, c = app, containerName?: string) =>
  containerResourceValue({ resource, divisor, containerName }, pod, c, allocatable);

describe("agent/kubelet/spec resourceFieldRef (downward API env)", () => {
  it("reads cpu in whole cores by default, rounded up", () => {
    expect(value("limits.cpu")).to.equal("2");
    expect(value("requests.cpu")).to.equal("1");
  });

  it("divides by the divisor and rounds up (1m gives millicores)", () => {
    expect(value("limits.cpu", "1m")).to.equal("1500");
    expect(value("requests.cpu", "1m")).to.equal("250");
  });

  it("reads memory in bytes, or in units of the divisor rounded up", () => {
    expect(value("limits.memory")).to.equal(String(128 * 1024 * 1024));
    expect(value("limits.memory", "1Mi")).to.equal("128");
    expect(value("requests.memory", "1M")).to.equal("68");
  });

  it("reads a limit the container does not set as the node's allocatable amount", () => {
    expect(value("limits.cpu", undefined, side)).to.equal("4");
    expect(value("limits.memory", "1Gi", side)).to.equal("8");
    expect(value("limits.ephemeral-storage", "1Gi", side)).to.equal("100");
  });

  it("reads an unset request as 0", () => {
    expect(value("requests.memory", undefined, side)).to.equal("0");
  });

  it("reads another container's resources when containerName is given", () => {
    expect(value("requests.cpu", "1m", side, "app")).to.equal("250");
  });

  it("rejects an unknown resource and an unknown container", () => {
    expect(() => value("limits.gpu")).to.throw(/unsupported container resource : limits.gpu/);
    expect(() => value("limits.cpu", undefined, app, "nope")).to.throw(/container nope not found/);
  });
});

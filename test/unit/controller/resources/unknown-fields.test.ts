/* eslint-disable @typescript-eslint/no-explicit-any -- editing parsed manifests */
import { expect } from "chai";
import { findResource } from "../../../../controller/resources/registry.js";
import { findUnknownFields } from "../../../../controller/resources/unknown-fields.js";
import { fullDeploymentYaml, load, probedPodYaml } from "./fixtures/manifests.js";

const podSchema = findResource("", "v1", "pods")!.schema;
const deploymentSchema = findResource("apps", "v1", "deployments")!.schema;

describe("controller/resources findUnknownFields", () => {
  it("finds nothing unknown in a full Deployment manifest", () => {
    expect(findUnknownFields(load(fullDeploymentYaml), deploymentSchema)).to.deep.equal([]);
  });

  it("finds nothing unknown in a pod with probes, volumes and security contexts", () => {
    expect(findUnknownFields(load(probedPodYaml), podSchema)).to.deep.equal([]);
  });

  it("finds nothing unknown in a pod as the kubelet reports its status", () => {
    const pod = load(probedPodYaml);
    pod.status = {
      phase: "Running",
      hostIP: "10.0.0.1",
      hostIPs: [{ ip: "10.0.0.1" }],
      podIP: "10.88.0.4",
      podIPs: [{ ip: "10.88.0.4" }],
      startTime: "2025-01-01T00:00:00Z",
      qosClass: "Burstable",
      conditions: [
        {
          type: "Ready",
          status: "True",
          lastProbeTime: null,
          lastTransitionTime: "2025-01-01T00:00:05Z",
        },
      ],
      containerStatuses: [
        {
          name: "worker",
          ready: true,
          started: true,
          restartCount: 1,
          image: "docker.io/library/busybox:1.36",
          imageID: "docker.io/library/busybox@sha256:abc",
          containerID: "berth://0123",
          state: { running: { startedAt: "2025-01-01T00:00:02Z" } },
          lastState: {
            terminated: {
              exitCode: 137,
              reason: "OOMKilled",
              startedAt: "2025-01-01T00:00:00Z",
              finishedAt: "2025-01-01T00:00:01Z",
              containerID: "berth://0122",
            },
          },
        },
      ],
    };
    expect(findUnknownFields(pod, podSchema)).to.deep.equal([]);
  });

  it("names misspelt fields with their paths, in the order they appear", () => {
    const deployment = load(fullDeploymentYaml);
    const spec = deployment.spec as any;
    spec.foo = 1;
    spec.template.spec.containers[0].imagee = "nginx";
    spec.template.spec.containers[0].resources.limit = { cpu: "1" };
    spec.template.spec.volumes[1].emptyDir.size = "1Gi";
    (deployment.metadata as any).lables = { a: "b" };
    expect(findUnknownFields(deployment, deploymentSchema)).to.deep.equal([
      "metadata.lables",
      "spec.template.spec.containers[0].resources.limit",
      "spec.template.spec.containers[0].imagee",
      "spec.template.spec.volumes[1].emptyDir.size",
      "spec.foo",
    ]);
  });

  it("finds typos at the top level and inside list items of a pod", () => {
    const pod = load(probedPodYaml);
    (pod as any).sepc = {};
    (pod.spec as any).containers[0].livenessProbe.grpcc = {};
    (pod.spec as any).tolerations[0].effects = "NoSchedule";
    expect(findUnknownFields(pod, podSchema)).to.deep.equal([
      "spec.containers[0].livenessProbe.grpcc",
      "spec.tolerations[0].effects",
      "sepc",
    ]);
  });

  it("accepts any keys in maps (labels, resources, data) and skips patch directives", () => {
    const pod = load(probedPodYaml);
    (pod.metadata as any).labels["anything.example.com/goes"] = "x";
    (pod.spec as any).containers[0].resources.limits["example.com/gpu"] = 1;
    (pod.spec as any)["$setElementOrder/containers"] = [{ name: "worker" }];
    expect(findUnknownFields(pod, podSchema)).to.deep.equal([]);
  });

  it("does not descend into values of the wrong type", () => {
    expect(findUnknownFields({ spec: "oops", metadata: [1] }, podSchema)).to.deep.equal([]);
  });
});

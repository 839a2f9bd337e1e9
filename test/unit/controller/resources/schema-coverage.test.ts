import { expect } from "chai";
import { findResource } from "../../../../controller/resources/registry.js";
import { compareWithModel } from "./client-node-models.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- reaching into a cloned schema */

const kinds: [group: string, plural: string, model: string][] = [
  ["", "pods", "V1Pod"],
  ["", "nodes", "V1Node"],
  ["", "namespaces", "V1Namespace"],
  ["", "events", "CoreV1Event"],
  ["", "configmaps", "V1ConfigMap"],
  ["", "secrets", "V1Secret"],
  ["", "services", "V1Service"],
  ["coordination.k8s.io", "leases", "V1Lease"],
  ["apps", "deployments", "V1Deployment"],
  ["apps", "replicasets", "V1ReplicaSet"],
];

describe("controller/resources schemas against @kubernetes/client-node's models", () => {
  for (const [group, plural, model] of kinds) {
    it(`knows every ${model} field, with its type, and no field ${model} lacks`, () => {
      const rt = findResource(group, "v1", plural);
      expect(rt, plural).to.not.equal(undefined);
      expect(compareWithModel(rt!.schema, model)).to.deep.equal([]);
    });
  }

  it("finds a missing, an invented and a mistyped field deep inside the pod schema", () => {
    const schema = structuredClone(findResource("", "v1", "pods")!.schema) as any;
    const spec = schema.properties.spec.properties;
    delete spec.containers.items.properties.stdin;
    spec.volumes.items.properties.csi.properties.bogus = { type: "string" };
    expect(compareWithModel(schema, "V1Pod")).to.deep.equal([
      "spec.containers[].stdin: missing from schema",
      "spec.initContainers[].stdin: missing from schema",
      "spec.volumes[].csi.bogus: not a field of V1CSIVolumeSource",
    ]);
  });

  it("reports a field a schema lacks (the comparison can fail)", () => {
    const schema = {
      type: "object" as const,
      properties: { name: { type: "string" as const }, extra: { type: "string" as const } },
    };
    expect(compareWithModel(schema, "V1LocalObjectReference")).to.deep.equal([
      "extra: not a field of V1LocalObjectReference",
    ]);
    expect(compareWithModel({ type: "object", properties: {} }, "V1PodOS")).to.deep.equal([
      "name: missing from schema",
    ]);
  });
});

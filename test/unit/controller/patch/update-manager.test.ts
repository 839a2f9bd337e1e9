import { expect } from "chai";
import { isBerthError } from "../../../../lib/errors.js";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { recordUpdateManager } from "../../../../controller/patch/update-manager.js";

const T1 = "2024-05-01T10:00:00Z";
const T2 = "2024-05-01T11:00:00Z";

function configMap(labels: Record<string, string>, data: Record<string, string>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "cm", namespace: "default", uid: "u", resourceVersion: "1", labels },
    data,
  };
}

function withMeta(object: KubeObject, changes: Record<string, unknown>): KubeObject {
  return { ...object, metadata: { ...object.metadata, ...changes } };
}

function owned(object: KubeObject, manager: string): unknown {
  return object.metadata?.managedFields?.find((m) => m.manager === manager)?.fieldsV1;
}

describe("controller/patch recordUpdateManager", () => {
  it("on create, gives the manager every field the object sets", () => {
    const created = recordUpdateManager(
      undefined,
      configMap({ app: "a" }, { k: "v" }),
      "kubectl-create",
      "v1",
      T1,
    );
    expect(created.metadata?.managedFields).to.deep.equal([
      {
        manager: "kubectl-create",
        operation: "Update",
        apiVersion: "v1",
        time: T1,
        fieldsType: "FieldsV1",
        fieldsV1: { "f:data": { "f:k": {} }, "f:metadata": { "f:labels": { "f:app": {} } } },
      },
    ]);
    expect(created.data).to.deep.equal({ k: "v" });
  });

  it("moves a changed field to the updating manager and keeps the rest with its owner", () => {
    const created = recordUpdateManager(
      undefined,
      configMap({ app: "a", env: "dev" }, { k: "v" }),
      "kubectl-client-side-apply",
      "v1",
      T1,
    );
    const labelled = recordUpdateManager(
      created,
      withMeta(created, { labels: { app: "a", env: "prod", team: "x" } }),
      "kubectl-label",
      "v1",
      T2,
    );
    expect(owned(labelled, "kubectl-label")).to.deep.equal({
      "f:metadata": { "f:labels": { "f:env": {}, "f:team": {} } },
    });
    expect(owned(labelled, "kubectl-client-side-apply")).to.deep.equal({
      "f:data": { "f:k": {} },
      "f:metadata": { "f:labels": { "f:app": {} } },
    });
  });

  it("drops removed fields from every manager, and a manager left with nothing", () => {
    const created = recordUpdateManager(
      undefined,
      configMap({ app: "a" }, { k: "v" }),
      "creator",
      "v1",
      T1,
    );
    const labelled = recordUpdateManager(
      created,
      withMeta(created, { labels: { app: "a", x: "1" } }),
      "kubectl-label",
      "v1",
      T2,
    );
    const unlabelled = recordUpdateManager(
      labelled,
      withMeta(labelled, { labels: { app: "a" } }),
      "kubectl-label",
      "v1",
      T2,
    );
    expect(unlabelled.metadata?.managedFields?.map((m) => m.manager)).to.deep.equal(["creator"]);
    const emptied = recordUpdateManager(
      unlabelled,
      { ...unlabelled, data: {} },
      "kubectl-edit",
      "v1",
      T2,
    );
    expect(owned(emptied, "creator")).to.deep.equal({
      "f:metadata": { "f:labels": { "f:app": {} } },
    });
    expect(emptied.metadata?.managedFields?.map((m) => m.manager)).to.deep.equal(["creator"]);
  });

  it("leaves managedFields exactly as stored when nothing changes", () => {
    const created = recordUpdateManager(
      undefined,
      configMap({ app: "a" }, { k: "v" }),
      "creator",
      "v1",
      T1,
    );
    const again = recordUpdateManager(created, created, "kubectl-edit", "v1", T2);
    expect(again).to.deep.equal(created);
    const withoutManaged = {
      ...created,
      metadata: { ...created.metadata, managedFields: undefined },
    };
    delete withoutManaged.metadata.managedFields;
    expect(recordUpdateManager(created, withoutManaged, "kubectl-edit", "v1", T2)).to.deep.equal(
      created,
    );
  });

  it("records a status update under its subresource", () => {
    const pod: KubeObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: [{ name: "c" }] },
    };
    const created = recordUpdateManager(undefined, pod, "kubectl-create", "v1", T1);
    const running = recordUpdateManager(
      created,
      { ...created, status: { phase: "Running" } },
      "berth-agent",
      "v1",
      T2,
      "status",
    );
    const entry = running.metadata?.managedFields?.find((m) => m.manager === "berth-agent");
    expect(entry).to.deep.include({ operation: "Update", subresource: "status", time: T2 });
    expect(entry?.fieldsV1).to.deep.equal({ "f:status": { "f:phase": {} } });
  });

  it("clears managedFields when the request sends [{}]", () => {
    const created = recordUpdateManager(
      undefined,
      configMap({ app: "a" }, {}),
      "creator",
      "v1",
      T1,
    );
    const reset = recordUpdateManager(
      created,
      withMeta(created, { managedFields: [{}] }),
      "kubectl-edit",
      "v1",
      T2,
    );
    expect(reset.metadata).to.not.have.property("managedFields");
  });

  it("rejects an empty manager and malformed managedFields, naming the field", () => {
    const cm = configMap({}, {});
    expect(() => recordUpdateManager(undefined, cm, "", "v1", T1)).to.throw(/fieldManager/);
    try {
      recordUpdateManager(
        undefined,
        withMeta(cm, { managedFields: [{ manager: "x", operation: "Frob" }] }),
        "m",
        "v1",
        T1,
      );
      throw new Error("expected an error");
    } catch (err) {
      expect(isBerthError(err, "InvalidArgument")).to.equal(true);
      expect((err as Error).message).to.match(
        /metadata\.managedFields\[0\]\.operation must be Apply or Update/,
      );
    }
  });
});

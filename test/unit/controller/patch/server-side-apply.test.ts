import { expect } from "chai";
import { isBerthError } from "../../../../lib/errors.js";
import type {
  KubeObject,
  ManagedFieldsEntry,
} from "../../../../controller/resources/kube-object.js";
import { applyConflictStatus } from "../../../../controller/patch/apply-conflict.js";
import {
  serverSideApply,
  type ApplyOptions,
} from "../../../../controller/patch/server-side-apply.js";
import { recordUpdateManager } from "../../../../controller/patch/update-manager.js";

const T1 = "2024-05-01T10:00:00Z";
const T2 = "2024-05-01T11:00:00Z";
const T3 = "2024-05-01T12:00:00Z";

function options(overrides: Partial<ApplyOptions> = {}): ApplyOptions {
  return { manager: "kubectl", force: false, apiVersion: "apps/v1", now: T1, ...overrides };
}

function config(
  spec: { replicas?: number; containers?: unknown[] } = {},
  labels: Record<string, string> = { app: "web" },
): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", labels },
    spec: {
      replicas: spec.replicas ?? 1,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: spec.containers ?? [
            { name: "c", image: "nginx", ports: [{ containerPort: 80 }] },
          ],
        },
      },
    },
  };
}

/** What the API server would store: the object plus its identity fields. */
function stored(object: KubeObject): KubeObject {
  return {
    ...object,
    metadata: { ...object.metadata, uid: "u-1", resourceVersion: "5", generation: 1 },
  };
}

function entry(object: KubeObject, manager: string): ManagedFieldsEntry {
  const found = object.metadata?.managedFields?.find((m) => m.manager === manager);
  if (found === undefined) throw new Error(`no managedFields entry for ${manager}`);
  return found;
}

function managers(object: KubeObject): string[] {
  return (object.metadata?.managedFields ?? []).map((m) => `${m.manager}/${m.operation}`);
}

function spec(object: KubeObject): {
  replicas: number;
  template: { spec: { containers: { name: string; env?: unknown[]; image?: string }[] } };
} {
  return object.spec as never;
}

describe("controller/patch serverSideApply", () => {
  it("creates an object owned by the applier, in Kubernetes' FieldsV1 encoding", () => {
    const { object, conflicts } = serverSideApply(undefined, config(), options());
    expect(conflicts).to.deep.equal([]);
    expect(object.spec).to.deep.equal(config().spec);
    expect(object.metadata?.managedFields).to.deep.equal([
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "apps/v1",
        time: T1,
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { "f:app": {} } },
          "f:spec": {
            "f:replicas": {},
            "f:selector": { "f:matchLabels": { "f:app": {} } },
            "f:template": {
              "f:metadata": { "f:labels": { "f:app": {} } },
              "f:spec": {
                "f:containers": {
                  'k:{"name":"c"}': {
                    ".": {},
                    "f:image": {},
                    "f:name": {},
                    "f:ports": {
                      'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it("updates the fields the applier changes and keeps the live object's other fields", () => {
    const created = stored(serverSideApply(undefined, config(), options()).object);
    const live = { ...created, status: { replicas: 1 } };
    const { object, conflicts } = serverSideApply(
      live,
      config({ replicas: 3 }),
      options({ now: T2 }),
    );
    expect(conflicts).to.deep.equal([]);
    expect(spec(object).replicas).to.equal(3);
    expect(object.status).to.deep.equal({ replicas: 1 });
    expect(object.metadata?.uid).to.equal("u-1");
    expect(entry(object, "kubectl").time).to.equal(T2);
  });

  it("removes fields the applier applied before and no longer applies", () => {
    const first = config(
      {
        containers: [
          {
            name: "c",
            image: "nginx",
            env: [
              { name: "X", value: "1" },
              { name: "Y", value: "2" },
            ],
          },
          { name: "d", image: "redis" },
        ],
      },
      { app: "web", tier: "front" },
    );
    const live = stored(serverSideApply(undefined, first, options()).object);
    const second = config({
      containers: [{ name: "c", image: "nginx", env: [{ name: "Y", value: "2" }] }],
    });
    const { object } = serverSideApply(live, second, options({ now: T2 }));
    expect(object.metadata?.labels).to.deep.equal({ app: "web" });
    expect(spec(object).template.spec.containers).to.deep.equal([
      { name: "c", image: "nginx", env: [{ name: "Y", value: "2" }] },
    ]);
    expect(JSON.stringify(entry(object, "kubectl").fieldsV1)).to.not.match(
      /tier|"name\\":\\"d\\"|X/,
    );
  });

  it("keeps a field the applier drops while another applier still applies it", () => {
    const both = config({}, { app: "web", tier: "front" });
    const live = stored(serverSideApply(undefined, both, options({ manager: "ci" })).object);
    const shared = stored(serverSideApply(live, both, options({ now: T2 })).object);
    const { object } = serverSideApply(shared, config(), options({ now: T3 }));
    expect(object.metadata?.labels).to.deep.equal({ app: "web", tier: "front" });
    expect(JSON.stringify(entry(object, "kubectl").fieldsV1)).to.not.include("tier");
    expect(JSON.stringify(entry(object, "ci").fieldsV1)).to.include("tier");
  });

  it("leaves a field alone once an update has taken it from the applier", () => {
    const live = stored(
      serverSideApply(undefined, config({}, { app: "web", tier: "front" }), options()).object,
    );
    // kubectl label tier=back --overwrite: kubectl-label now owns .metadata.labels.tier.
    const labelled = recordUpdateManager(
      live,
      { ...live, metadata: { ...live.metadata, labels: { app: "web", tier: "back" } } },
      "kubectl-label",
      "v1",
      T2,
    );
    const { object, conflicts } = serverSideApply(labelled, config(), options({ now: T3 }));
    expect(conflicts).to.deep.equal([]);
    expect(object.metadata?.labels).to.deep.equal({ app: "web", tier: "back" });
    expect(managers(object)).to.deep.equal(["kubectl/Apply", "kubectl-label/Update"]);
  });

  it("reports a conflict with a client-side-apply manager and leaves the object unchanged", () => {
    const created = recordUpdateManager(
      undefined,
      stored(config()),
      "kubectl-client-side-apply",
      "apps/v1",
      T1,
    );
    const { object, conflicts } = serverSideApply(
      created,
      config({ replicas: 3 }),
      options({ now: T2 }),
    );
    expect(conflicts).to.deep.equal([
      {
        manager: "kubectl-client-side-apply",
        field: ".spec.replicas",
        operation: "Update",
        apiVersion: "apps/v1",
      },
    ]);
    expect(object).to.deep.equal(created);
    expect(applyConflictStatus(conflicts)).to.deep.equal({
      message:
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      causes: [
        {
          reason: "FieldManagerConflict",
          message: 'conflict with "kubectl-client-side-apply" using apps/v1',
          field: ".spec.replicas",
        },
      ],
    });
  });

  it("shares ownership without conflict when the applied value is the live one", () => {
    const created = recordUpdateManager(
      undefined,
      stored(config()),
      "kubectl-client-side-apply",
      "apps/v1",
      T1,
    );
    const { object, conflicts } = serverSideApply(created, config(), options({ now: T2 }));
    expect(conflicts).to.deep.equal([]);
    expect(JSON.stringify(entry(object, "kubectl").fieldsV1)).to.include('"f:replicas"');
    expect(JSON.stringify(entry(object, "kubectl-client-side-apply").fieldsV1)).to.include(
      '"f:replicas"',
    );
  });

  it("with force, takes the conflicting fields over", () => {
    const created = recordUpdateManager(
      undefined,
      stored(config()),
      "kubectl-client-side-apply",
      "apps/v1",
      T1,
    );
    const { object, conflicts } = serverSideApply(
      created,
      config({ replicas: 3 }),
      options({ now: T2, force: true }),
    );
    expect(conflicts).to.deep.equal([]);
    expect(spec(object).replicas).to.equal(3);
    expect(JSON.stringify(entry(object, "kubectl").fieldsV1)).to.include('"f:replicas"');
    const csa = entry(object, "kubectl-client-side-apply");
    expect(JSON.stringify(csa.fieldsV1)).to.not.include('"f:replicas"');
    expect(JSON.stringify(csa.fieldsV1)).to.include('"f:image"');
    expect(csa.time).to.equal(T1);
  });

  it("reports conflicts between two appliers without an apiVersion, several at once", () => {
    const live = stored(
      serverSideApply(undefined, config({ replicas: 2 }), options({ manager: "ci" })).object,
    );
    const other = config({
      replicas: 5,
      containers: [{ name: "c", image: "nginx:2", ports: [{ containerPort: 80 }] }],
    });
    const { conflicts } = serverSideApply(live, other, options({ now: T2 }));
    expect(conflicts.map((c) => c.field)).to.deep.equal([
      ".spec.replicas",
      '.spec.template.spec.containers[name="c"].image',
    ]);
    expect(applyConflictStatus(conflicts).message).to.equal(
      'Apply failed with 2 conflicts: conflicts with "ci":\n- .spec.replicas\n- .spec.template.spec.containers[name="c"].image',
    );
  });

  it("charges an unmanaged live object's fields to before-first-apply", () => {
    const { conflicts } = serverSideApply(
      stored(config()),
      config({ replicas: 4 }),
      options({ now: T2 }),
    );
    expect(conflicts).to.deep.equal([
      {
        manager: "before-first-apply",
        field: ".spec.replicas",
        operation: "Update",
        apiVersion: "apps/v1",
      },
    ]);
  });

  it("is a no-op when the same configuration is applied again", () => {
    const live = stored(serverSideApply(undefined, config(), options()).object);
    const again = serverSideApply(live, config(), options({ now: T3 }));
    expect(again.object).to.deep.equal(live);
  });

  it("merges finalizers as a set, keeping those another manager added", () => {
    const applied = (finalizers: string[]): KubeObject => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cm", finalizers },
      data: { a: "1" },
    });
    const live = stored(
      serverSideApply(undefined, applied(["x"]), options({ apiVersion: "v1" })).object,
    );
    const withOther = recordUpdateManager(
      live,
      { ...live, metadata: { ...live.metadata, finalizers: ["x", "y"] } },
      "controller",
      "v1",
      T2,
    );
    const { object } = serverSideApply(
      withOther,
      applied(["z"]),
      options({ apiVersion: "v1", now: T3 }),
    );
    expect(object.metadata?.finalizers).to.deep.equal(["y", "z"]);
  });

  it("treats lists of unknown kinds as atomic", () => {
    const widget = (items: unknown[]): KubeObject => ({
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w" },
      spec: { items },
    });
    const live = stored(
      serverSideApply(undefined, widget([{ name: "a" }]), options({ apiVersion: "example.com/v1" }))
        .object,
    );
    const { object } = serverSideApply(
      live,
      widget([{ name: "b" }]),
      options({ apiVersion: "example.com/v1" }),
    );
    expect(object.spec).to.deep.equal({ items: [{ name: "b" }] });
    expect(entry(object, "kubectl").fieldsV1).to.deep.equal({ "f:spec": { "f:items": {} } });
  });

  it("records the status subresource in the manager entry", () => {
    const live = stored(serverSideApply(undefined, config(), options()).object);
    const status: KubeObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      status: { replicas: 1 },
    };
    const { object } = serverSideApply(
      live,
      status,
      options({ manager: "ctl", subresource: "status", now: T2 }),
    );
    expect(entry(object, "ctl")).to.include({ subresource: "status", operation: "Apply" });
    expect(object.status).to.deep.equal({ replicas: 1 });
  });

  it("rejects invalid apply configurations, naming the field", () => {
    const reject = (applied: KubeObject, manager = "kubectl"): Error => {
      try {
        serverSideApply(undefined, applied, options({ manager }));
      } catch (err) {
        expect(isBerthError(err, "InvalidArgument")).to.equal(true);
        return err as Error;
      }
      throw new Error("expected an error");
    };
    const withManaged = {
      ...config(),
      metadata: { name: "web", managedFields: [{} as ManagedFieldsEntry] },
    };
    expect(reject(withManaged).message).to.equal("metadata.managedFields must be nil");
    expect(reject(config({ containers: [{ image: "x" }] })).message).to.match(
      /^\.spec\.template\.spec\.containers: element 0: .*key field "name"/,
    );
    expect(reject(config(), "").message).to.match(/fieldManager is required/);
  });

  it('owns and prunes a "__proto__" data key like any other', () => {
    const cm = (data: string): KubeObject =>
      JSON.parse(
        `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":${data}}`,
      ) as KubeObject;
    const live = stored(
      serverSideApply(undefined, cm('{"__proto__":"x","a":"1"}'), options({ apiVersion: "v1" }))
        .object,
    );
    expect(entry(live, "kubectl").fieldsV1).to.deep.equal({
      "f:data": { "f:__proto__": {}, "f:a": {} },
    });
    const { object } = serverSideApply(
      live,
      cm('{"a":"1"}'),
      options({ apiVersion: "v1", now: T2 }),
    );
    expect(JSON.stringify(object.data)).to.equal('{"a":"1"}');
    expect(({} as Record<string, unknown>).a).to.equal(undefined);
  });
});

import { expect } from "chai";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { cause, clone, create, stored, update } from "./fixtures/kinds.js";
import { fullDeploymentYaml, load } from "./fixtures/manifests.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- editing manifests */

const deployment = (): any => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api", namespace: "default" },
  spec: {
    selector: { matchLabels: { app: "api" } },
    template: {
      metadata: { labels: { app: "api" } },
      spec: { containers: [{ name: "api", image: "api:1" }] },
    },
  },
});

const replicaSet = (): any => ({
  ...deployment(),
  kind: "ReplicaSet",
  metadata: { name: "api-5d4f", namespace: "default" },
});

const immutableSelector = (labels: string) =>
  cause(
    "FieldValueInvalid",
    "spec.selector",
    `Invalid value: v1.LabelSelector{MatchLabels:map[string]string{${labels}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable`,
  );

describe("controller/resources deployments", () => {
  it("defaults replicas, strategy, history, deadline and the template's pod spec", () => {
    const d = stored("deployments", deployment()) as any;
    expect(d.spec.replicas).to.equal(1);
    expect(d.spec.strategy).to.deep.equal({
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" },
    });
    expect(d.spec.revisionHistoryLimit).to.equal(10);
    expect(d.spec.progressDeadlineSeconds).to.equal(600);
    const pod = d.spec.template.spec;
    expect(pod.restartPolicy).to.equal("Always");
    expect(pod.schedulerName).to.equal("default-scheduler");
    expect(pod.containers[0].imagePullPolicy).to.equal("IfNotPresent");
    // Only real pods get these.
    expect(pod.enableServiceLinks).to.equal(undefined);
    expect(d.status).to.equal(undefined);
  });

  it("leaves a Recreate strategy without rollingUpdate", () => {
    const d = deployment();
    d.spec.strategy = { type: "Recreate" };
    stored("deployments", d);
    expect(d.spec.strategy).to.deep.equal({ type: "Recreate" });
  });

  it("accepts a full real-world manifest unchanged but for defaults", () => {
    const d = stored("deployments", load(fullDeploymentYaml)) as any;
    expect(d.spec.replicas).to.equal(3);
    expect(d.spec.strategy.rollingUpdate).to.deep.equal({ maxSurge: 1, maxUnavailable: "10%" });
    expect(d.spec.template.spec.containers[0].resources.limits).to.deep.equal({
      cpu: "1",
      memory: "512Mi",
    });
  });

  it("requires a selector", () => {
    const d = deployment();
    delete d.spec.selector;
    expect(create("deployments", d)).to.deep.equal([
      cause("FieldValueRequired", "spec.selector", "Required value"),
    ]);
  });

  it("refuses an empty selector", () => {
    const d = deployment();
    d.spec.selector = {};
    expect(create("deployments", d)).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.selector",
        "Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
      ),
    ]);
  });

  it("wants the selector to match the template labels", () => {
    const d = deployment();
    d.spec.template.metadata.labels = { app: "other", tier: "x" };
    expect(create("deployments", d)).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.template.metadata.labels",
        'Invalid value: map[string]string{"app":"other", "tier":"x"}: `selector` does not match template `labels`',
      ),
    ]);
    const expr = deployment();
    expr.spec.selector = {
      matchExpressions: [{ key: "app", operator: "In", values: ["api", "web"] }],
    };
    expect(create("deployments", expr)).to.deep.equal([]);
  });

  it("keeps replicas non-negative", () => {
    const d = deployment();
    d.spec.replicas = -1;
    expect(create("deployments", d)).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.replicas",
        "Invalid value: -1: must be greater than or equal to 0",
      ),
    ]);
  });

  it("validates the template as a pod spec with restartPolicy Always", () => {
    const d = deployment();
    d.spec.template.spec.containers[0].image = "";
    d.spec.template.spec.restartPolicy = "OnFailure";
    d.spec.template.metadata.annotations = { "bad key": "x" };
    expect(create("deployments", d)).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.template.annotations",
        `Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ),
      cause("FieldValueRequired", "spec.template.spec.containers[0].image", "Required value"),
      cause(
        "FieldValueNotSupported",
        "spec.template.spec.restartPolicy",
        'Unsupported value: "OnFailure": supported values: "Always"',
      ),
    ]);
  });

  it("checks the rolling update parameters", () => {
    const d = deployment();
    d.spec.strategy = {
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 0, maxSurge: "0%" },
    };
    expect(create("deployments", d)).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.strategy.rollingUpdate.maxUnavailable",
        "Invalid value: 0: may not be 0 when `maxSurge` is 0",
      ),
    ]);
    const bad = deployment();
    bad.spec.strategy = {
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: "150%", maxSurge: "lots" },
    };
    expect(create("deployments", bad)).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.strategy.rollingUpdate.maxSurge",
        "Invalid value: lots: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ),
      cause(
        "FieldValueInvalid",
        "spec.strategy.rollingUpdate.maxUnavailable",
        "Invalid value: 150%: must not be greater than 100%",
      ),
    ]);
    const recreate = deployment();
    recreate.spec.strategy = { type: "Recreate", rollingUpdate: {} };
    expect(create("deployments", recreate)).to.deep.equal([
      cause(
        "FieldValueForbidden",
        "spec.strategy.rollingUpdate",
        "Forbidden: may not be specified when strategy `type` is 'Recreate'",
      ),
    ]);
  });

  it("wants progressDeadlineSeconds above minReadySeconds", () => {
    const d = deployment();
    d.spec.minReadySeconds = 30;
    d.spec.progressDeadlineSeconds = 30;
    expect(create("deployments", d)).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.progressDeadlineSeconds",
        "Invalid value: 30: must be greater than minReadySeconds",
      ),
    ]);
  });

  it("keeps the selector immutable and lets the template change", () => {
    const old = stored("deployments", deployment());
    const scaled = clone(old) as any;
    scaled.spec.replicas = 5;
    scaled.spec.template.spec.containers[0].image = "api:2";
    expect(update("deployments", scaled, old)).to.deep.equal([]);
    const moved = clone(old) as any;
    moved.spec.selector = { matchLabels: { app: "api", v: "2" } };
    moved.spec.template.metadata.labels.v = "2";
    expect(update("deployments", moved, old)).to.deep.equal([
      immutableSelector('"app":"api", "v":"2"'),
    ]);
  });
});

describe("controller/resources replicasets", () => {
  it("defaults replicas to 1 and validates like a deployment", () => {
    expect((stored("replicasets", replicaSet()) as any).spec).to.have.property("replicas", 1);
    const rs = replicaSet();
    rs.spec.template.metadata.labels = {};
    expect(create("replicasets", rs)).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.template.metadata.labels",
        "Invalid value: map[string]string{}: `selector` does not match template `labels`",
      ),
    ]);
  });

  it("keeps its selector immutable", () => {
    const old = stored("replicasets", replicaSet()) as KubeObject;
    const next = clone(old) as any;
    next.spec.selector.matchLabels.app = "x";
    next.spec.template.metadata.labels.app = "x";
    expect(update("replicasets", next, old)).to.deep.equal([immutableSelector('"app":"x"')]);
  });
});

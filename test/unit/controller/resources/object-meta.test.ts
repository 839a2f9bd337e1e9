import { expect } from "chai";
import {
  validateObjectMeta,
  validateObjectMetaUpdate,
} from "../../../../controller/resources/validation/object-meta.js";
import { cause, create, minimalPod } from "./fixtures/kinds.js";

const labelRegex =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const subdomainRegex =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const nameRegex =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const valueRegex =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const meta = (metadata: Record<string, unknown>) => ({ metadata });

describe("controller/resources validateObjectMeta", () => {
  it("requires a name or generateName", () => {
    expect(validateObjectMeta(meta({ namespace: "a" }), true, "dns1123Subdomain")).to.deep.equal([
      cause(
        "FieldValueRequired",
        "metadata.name",
        "Required value: name or generateName is required",
      ),
    ]);
    expect(
      validateObjectMeta(meta({ generateName: "web-", namespace: "a" }), true, "dns1123Subdomain"),
    ).to.deep.equal([]);
  });

  it("words a bad pod name as an RFC 1123 subdomain error", () => {
    expect(
      create("pods", { ...minimalPod(), metadata: { name: "Foo", namespace: "default" } }),
    ).to.deep.equal([
      cause("FieldValueInvalid", "metadata.name", `Invalid value: "Foo": ${subdomainRegex}`),
    ]);
  });

  it("holds namespaces to RFC 1123 labels, dots and length included", () => {
    const ns = (name: string) => validateObjectMeta(meta({ name }), false, "dns1123Label");
    expect(ns("Foo")).to.deep.equal([
      cause("FieldValueInvalid", "metadata.name", `Invalid value: "Foo": ${labelRegex}`),
    ]);
    expect(ns("a.b")).to.deep.equal([
      cause("FieldValueInvalid", "metadata.name", 'Invalid value: "a.b": must not contain dots'),
    ]);
    expect(ns("a".repeat(64))[0].message).to.equal(
      `Invalid value: "${"a".repeat(64)}": must be no more than 63 characters`,
    );
  });

  it("holds services to DNS-1035 labels, which must start with a letter", () => {
    expect(
      validateObjectMeta(meta({ name: "1web", namespace: "a" }), true, "dns1035Label"),
    ).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "metadata.name",
        `Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      ),
    ]);
  });

  it("accepts a generateName prefix ending in a dash, not one with capitals", () => {
    expect(
      validateObjectMeta(
        meta({ name: "web-x1", generateName: "web-", namespace: "a" }),
        true,
        "dns1123Subdomain",
      ),
    ).to.deep.equal([]);
    expect(
      validateObjectMeta(
        meta({ name: "web-x1", generateName: "Web-", namespace: "a" }),
        true,
        "dns1123Subdomain",
      ),
    ).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "metadata.generateName",
        `Invalid value: "Web-": ${subdomainRegex}`,
      ),
    ]);
  });

  it("requires a namespace on namespaced kinds and forbids one elsewhere", () => {
    expect(validateObjectMeta(meta({ name: "a" }), true, "dns1123Subdomain")).to.deep.equal([
      cause("FieldValueRequired", "metadata.namespace", "Required value"),
    ]);
    expect(
      validateObjectMeta(meta({ name: "a", namespace: "x" }), false, "dns1123Subdomain"),
    ).to.deep.equal([
      cause("FieldValueForbidden", "metadata.namespace", "Forbidden: not allowed on this type"),
    ]);
    expect(
      validateObjectMeta(meta({ name: "a", namespace: "Bad_NS" }), true, "dns1123Subdomain"),
    ).to.deep.equal([
      cause("FieldValueInvalid", "metadata.namespace", `Invalid value: "Bad_NS": ${labelRegex}`),
    ]);
  });

  it("checks label keys and values as Kubernetes words them", () => {
    const causes = validateObjectMeta(
      meta({
        name: "a",
        namespace: "b",
        labels: { "bad key": "ok", good: "bad value!", "example.com/": "x" },
      }),
      true,
      "dns1123Subdomain",
    );
    expect(causes).to.deep.equal([
      cause("FieldValueInvalid", "metadata.labels", `Invalid value: "bad key": ${nameRegex}`),
      cause("FieldValueInvalid", "metadata.labels", `Invalid value: "bad value!": ${valueRegex}`),
      cause(
        "FieldValueInvalid",
        "metadata.labels",
        'Invalid value: "example.com/": name part must be non-empty',
      ),
      cause("FieldValueInvalid", "metadata.labels", `Invalid value: "example.com/": ${nameRegex}`),
    ]);
    const long = validateObjectMeta(
      meta({ name: "a", namespace: "b", labels: { app: "v".repeat(64) } }),
      true,
      "dns1123Subdomain",
    );
    expect(long).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "metadata.labels",
        `Invalid value: "${"v".repeat(64)}": must be no more than 63 characters`,
      ),
    ]);
  });

  it("checks annotation keys case-insensitively and their total size", () => {
    const ok = { "Example.COM/Key": "x", "kubectl.kubernetes.io/last-applied-configuration": "{}" };
    expect(
      validateObjectMeta(
        meta({ name: "a", namespace: "b", annotations: ok }),
        true,
        "dns1123Subdomain",
      ),
    ).to.deep.equal([]);
    const big = { big: "x".repeat(256 * 1024) };
    expect(
      validateObjectMeta(
        meta({ name: "a", namespace: "b", annotations: big }),
        true,
        "dns1123Subdomain",
      ),
    ).to.deep.equal([
      cause(
        "FieldValueTooLong",
        "metadata.annotations",
        "Too long: may not be more than 262144 bytes",
      ),
    ]);
    const prefix = { "bad_prefix/key": "x" };
    expect(
      validateObjectMeta(
        meta({ name: "a", namespace: "b", annotations: prefix }),
        true,
        "dns1123Subdomain",
      )[0].message,
    ).to.equal(`Invalid value: "bad_prefix/key": prefix part ${subdomainRegex}`);
  });

  it("checks owner references, finalizers and managed fields", () => {
    const causes = validateObjectMeta(
      meta({
        name: "a",
        namespace: "b",
        ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "", uid: "u" }],
        finalizers: ["bad finalizer"],
        managedFields: [{ manager: "kubectl", operation: "Patch", fieldsType: "FieldsV1" }],
      }),
      true,
      "dns1123Subdomain",
    );
    expect(causes).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "metadata.ownerReferences.name",
        'Invalid value: "": must not be empty',
      ),
      cause(
        "FieldValueInvalid",
        "metadata.finalizers",
        `Invalid value: "bad finalizer": ${nameRegex}`,
      ),
      cause(
        "FieldValueInvalid",
        "metadata.managedFields[0].operation",
        'Invalid value: "Patch": must be `Apply` or `Update`',
      ),
    ]);
  });

  it("keeps name, namespace and uid immutable and finalizers closed while deleting", () => {
    const old = meta({
      name: "a",
      namespace: "b",
      uid: "1",
      deletionTimestamp: "2025-01-01T00:00:00Z",
      finalizers: ["x/y"],
    });
    const next = meta({ name: "c", namespace: "b", uid: "2", finalizers: ["x/y", "x/z"] });
    expect(validateObjectMetaUpdate(next, old, true)).to.deep.equal([
      cause(
        "FieldValueForbidden",
        "metadata.finalizers",
        'Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"x/z"}',
      ),
      cause("FieldValueInvalid", "metadata.name", 'Invalid value: "c": field is immutable'),
      cause("FieldValueInvalid", "metadata.uid", 'Invalid value: "2": field is immutable'),
    ]);
  });
});

describe("controller/resources owner references", () => {
  it("allows one controller reference only", () => {
    const refs = [
      { apiVersion: "apps/v1", kind: "ReplicaSet", name: "a", uid: "1", controller: true },
      { apiVersion: "apps/v1", kind: "ReplicaSet", name: "b", uid: "2", controller: true },
    ];
    const causes = validateObjectMeta(
      meta({ name: "p", namespace: "d", ownerReferences: refs }),
      true,
      "dns1123Subdomain",
    );
    expect(causes).to.have.length(1);
    expect(causes[0].field).to.equal("metadata.ownerReferences");
    expect(causes[0].message).to.match(
      /^Invalid value: \[\]v1\.OwnerReference\{.*\}: Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/a and ReplicaSet\/b$/,
    );
  });
});

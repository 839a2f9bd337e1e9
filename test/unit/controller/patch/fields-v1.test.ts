import { expect } from "chai";
import { isBerthError } from "../../../../lib/errors.js";
import { formatFieldPath } from "../../../../controller/patch/field-path.js";
import { FieldSet } from "../../../../controller/patch/field-set.js";
import { decodeFieldsV1, encodeFieldsV1 } from "../../../../controller/patch/fields-v1.js";
import { listRulesFor } from "../../../../controller/patch/merge-keys.js";
import { compareObjects, fieldSetOf } from "../../../../controller/patch/object-fields.js";

const podRules = listRulesFor({ group: "", version: "v1", kind: "Pod" })!;

describe("controller/patch FieldsV1", () => {
  it("encodes leaves as {} and list items that have fields with '.'", () => {
    const set = new FieldSet([
      ["f:metadata", "f:labels", "f:app"],
      ["f:spec", "f:containers", 'k:{"name":"c"}'],
      ["f:spec", "f:containers", 'k:{"name":"c"}', "f:image"],
      ["f:metadata", "f:finalizers", 'v:"x"'],
    ]);
    expect(encodeFieldsV1(set)).to.deep.equal({
      "f:metadata": { "f:finalizers": { 'v:"x"': {} }, "f:labels": { "f:app": {} } },
      "f:spec": { "f:containers": { 'k:{"name":"c"}': { ".": {}, "f:image": {} } } },
    });
  });

  it("decodes what it encodes", () => {
    const fieldsV1 = {
      "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
      "f:spec": {
        "f:replicas": {},
        "f:template": {
          "f:spec": { "f:containers": { 'k:{"name":"c"}': { ".": {}, "f:name": {} } } },
        },
      },
    };
    const set = decodeFieldsV1(fieldsV1, "f");
    expect(set.has(["f:metadata", "f:labels"])).to.equal(true);
    expect(set.has(["f:spec"])).to.equal(false);
    expect(set.size).to.equal(5);
    expect(encodeFieldsV1(set)).to.deep.equal(fieldsV1);
  });

  it("rejects malformed trees naming the field", () => {
    const bad = (value: unknown) => {
      try {
        decodeFieldsV1(value, "metadata.managedFields[0].fieldsV1");
      } catch (err) {
        expect(isBerthError(err, "InvalidArgument")).to.equal(true);
        expect((err as Error).message).to.match(/^metadata\.managedFields\[0\]\.fieldsV1: /);
        return;
      }
      throw new Error("expected an error");
    };
    bad([]);
    bad({ "x:y": {} });
    bad({ "f:a": 1 });
    bad({ ".": {} });
  });

  it("prints paths the way Kubernetes prints conflicts", () => {
    expect(formatFieldPath(["f:spec", "f:replicas"])).to.equal(".spec.replicas");
    expect(formatFieldPath(["f:spec", "f:containers", 'k:{"name":"c"}', "f:image"])).to.equal(
      '.spec.containers[name="c"].image',
    );
    expect(formatFieldPath(["f:ports", 'k:{"containerPort":80,"protocol":"TCP"}'])).to.equal(
      '.ports[containerPort=80,protocol="TCP"]',
    );
    expect(formatFieldPath(["f:metadata", "f:finalizers", 'v:"a"'])).to.equal(
      '.metadata.finalizers[="a"]',
    );
  });
});

describe("controller/patch object fields", () => {
  it("lists leaves and keyed items, never server-set metadata", () => {
    const set = fieldSetOf(
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "p", uid: "u", resourceVersion: "1", labels: { app: "a" } },
        spec: {
          containers: [{ name: "c", ports: [{ containerPort: 80 }], args: ["x"], resources: {} }],
        },
      },
      podRules,
    );
    expect(set.paths().map(formatFieldPath)).to.deep.equal([
      ".metadata.labels.app",
      '.spec.containers[name="c"]',
      '.spec.containers[name="c"].args',
      '.spec.containers[name="c"].name',
      '.spec.containers[name="c"].ports[containerPort=80,protocol="TCP"]',
      '.spec.containers[name="c"].ports[containerPort=80,protocol="TCP"].containerPort',
      '.spec.containers[name="c"].resources',
    ]);
  });

  it("treats a keyed list with a keyless item as atomic unless strict", () => {
    const pod = { spec: { containers: [{ image: "x" }] } };
    expect(fieldSetOf(pod, podRules).paths()).to.deep.equal([["f:spec", "f:containers"]]);
    expect(() => fieldSetOf(pod, podRules, true)).to.throw(/omits key field "name"/);
    const twice = { spec: { containers: [{ name: "a" }, { name: "a" }] } };
    expect(() => fieldSetOf(twice, podRules, true)).to.throw(
      /duplicate entries for key \[name="a"\]/,
    );
  });

  it("compares objects into added, modified and removed fields", () => {
    const before = {
      metadata: { labels: { a: "1", b: "2" } },
      spec: {
        containers: [
          { name: "c", image: "x" },
          { name: "d", image: "y" },
        ],
      },
    };
    const after = {
      metadata: { labels: { a: "1", b: "3", c: "4" } },
      spec: {
        containers: [
          { name: "d", image: "y" },
          { name: "e", image: "z" },
        ],
      },
    };
    const changes = compareObjects(before, after, podRules);
    expect(changes.modified.paths().map(formatFieldPath)).to.deep.equal([".metadata.labels.b"]);
    expect(changes.added.paths().map(formatFieldPath)).to.deep.equal([
      ".metadata.labels.c",
      '.spec.containers[name="e"]',
      '.spec.containers[name="e"].image',
      '.spec.containers[name="e"].name',
    ]);
    expect(changes.removed.paths().map(formatFieldPath)).to.deep.equal([
      '.spec.containers[name="c"]',
      '.spec.containers[name="c"].image',
      '.spec.containers[name="c"].name',
    ]);
  });
});

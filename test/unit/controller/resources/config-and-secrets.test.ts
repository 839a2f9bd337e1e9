import { expect } from "chai";
import { decodedBase64Length } from "../../../../controller/resources/validation/base64.js";
import { cause, clone, create, kind, stored, update } from "./fixtures/kinds.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- editing objects */

const keyRegex =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

const secret = (fields: Record<string, unknown>): any => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "db", namespace: "default" },
  ...fields,
});

const configMap = (fields: Record<string, unknown>): any => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "cfg", namespace: "default" },
  ...fields,
});

describe("controller/resources secrets", () => {
  it("defaults the type to Opaque and merges stringData into data", () => {
    const s = stored(
      "secrets",
      secret({ data: { a: "eA==" }, stringData: { a: "over", b: "héllo" } }),
    );
    expect(s).to.deep.include({ type: "Opaque", data: { a: "b3Zlcg==", b: "aMOpbGxv" } });
    expect(s).to.not.have.property("stringData");
  });

  it("wants valid keys and base64 values, without echoing the value", () => {
    expect(
      create("secrets", secret({ data: { "bad key": "eA==", ok: "not base64!" } })),
    ).to.deep.equal([
      cause("FieldValueInvalid", "data[bad key]", `Invalid value: "bad key": ${keyRegex}`),
      cause(
        "FieldValueInvalid",
        "data[ok]",
        'Invalid value: "<secret contents redacted>": illegal base64 data at input byte 3',
      ),
    ]);
    expect(create("secrets", secret({ data: { "..x": "" } }))).to.deep.equal([
      cause("FieldValueInvalid", "data[..x]", `Invalid value: "..x": must not start with '..'`),
    ]);
  });

  it("limits data to 1 MiB decoded", () => {
    const big = Buffer.alloc(1024 * 1024 + 1).toString("base64");
    expect(create("secrets", secret({ data: { big } }))).to.deep.equal([
      cause("FieldValueTooLong", "data", "Too long: may not be more than 1048576 bytes"),
    ]);
    const fits = Buffer.alloc(1024 * 1024).toString("base64");
    expect(create("secrets", secret({ data: { fits } }))).to.deep.equal([]);
  });

  it("requires the keys its type needs", () => {
    expect(
      create("secrets", secret({ type: "kubernetes.io/tls", data: { "tls.crt": "eA==" } })),
    ).to.deep.equal([cause("FieldValueRequired", "data[tls.key]", "Required value")]);
    expect(create("secrets", secret({ type: "kubernetes.io/basic-auth", data: {} }))).to.deep.equal(
      [
        cause("FieldValueRequired", "data[username]", "Required value"),
        cause("FieldValueRequired", "data[password]", "Required value"),
      ],
    );
    const badJson = Buffer.from("{nope").toString("base64");
    const docker = create(
      "secrets",
      secret({ type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": badJson } }),
    );
    expect(docker).to.have.length(1);
    expect(docker[0].field).to.equal("data[.dockerconfigjson]");
    expect(docker[0].message).to.match(/^Invalid value: "<secret contents redacted>": /);
  });

  it("keeps the type, and the data of immutable secrets", () => {
    const old = stored("secrets", secret({ data: { a: "eA==" }, immutable: true }));
    const retyped = clone(old);
    retyped.type = "kubernetes.io/tls";
    retyped.data = { a: "eA==", "tls.crt": "eA==", "tls.key": "eA==" };
    expect(update("secrets", retyped, old)).to.deep.equal([
      cause("FieldValueForbidden", "data", "Forbidden: field is immutable when `immutable` is set"),
      cause("FieldValueInvalid", "type", 'Invalid value: "kubernetes.io/tls": field is immutable'),
    ]);
    const relabelled = clone(old);
    relabelled.metadata = { ...relabelled.metadata, labels: { a: "b" } };
    expect(update("secrets", relabelled, old)).to.deep.equal([]);
  });

  it("serves type as a field label", () => {
    expect(kind("secrets").fieldLabels(secret({ type: "kubernetes.io/tls" }))).to.deep.equal({
      "metadata.name": "db",
      "metadata.namespace": "default",
      type: "kubernetes.io/tls",
    });
  });

  it("decodes base64 as Go does, reporting where it fails", () => {
    expect(decodedBase64Length("aGVsbG8=")).to.equal(5);
    expect(decodedBase64Length("aGVs\nbG8=")).to.equal(5);
    expect(decodedBase64Length("")).to.equal(0);
    expect(decodedBase64Length("aGVsbG8")).to.deep.equal({
      error: "illegal base64 data at input byte 4",
    });
    expect(decodedBase64Length("a===")).to.deep.equal({
      error: "illegal base64 data at input byte 1",
    });
    expect(decodedBase64Length("aGVsbG8=x")).to.deep.equal({
      error: "illegal base64 data at input byte 8",
    });
  });
});

describe("controller/resources configmaps", () => {
  it("accepts text data and base64 binaryData", () => {
    expect(
      create(
        "configmaps",
        configMap({ data: { "app.yaml": "a: 1" }, binaryData: { logo: "iVBORw==" } }),
      ),
    ).to.deep.equal([]);
  });

  it("checks keys, duplicates between data and binaryData, and 1 MiB in total", () => {
    expect(
      create(
        "configmaps",
        configMap({ data: { "a/b": "x", dup: "y" }, binaryData: { dup: "eA==" } }),
      ),
    ).to.deep.equal([
      cause("FieldValueInvalid", "data[a/b]", `Invalid value: "a/b": ${keyRegex}`),
      cause(
        "FieldValueInvalid",
        "data[dup]",
        'Invalid value: "dup": duplicate of key present in binaryData',
      ),
    ]);
    const big = "x".repeat(600 * 1024);
    expect(create("configmaps", configMap({ data: { a: big, b: big } }))).to.deep.equal([
      cause("FieldValueTooLong", "", "Too long: may not be more than 1048576 bytes"),
    ]);
  });

  it("freezes the data of an immutable config map, and its immutability", () => {
    const old = stored("configmaps", configMap({ data: { a: "1" }, immutable: true }));
    const changed = clone(old);
    changed.data = { a: "2" };
    changed.immutable = false;
    expect(update("configmaps", changed, old)).to.deep.equal([
      cause(
        "FieldValueForbidden",
        "immutable",
        "Forbidden: field is immutable when `immutable` is set",
      ),
      cause("FieldValueForbidden", "data", "Forbidden: field is immutable when `immutable` is set"),
    ]);
    const mutable = stored("configmaps", configMap({ data: { a: "1" } }));
    const edited = clone(mutable);
    edited.data = { a: "2" };
    expect(update("configmaps", edited, mutable)).to.deep.equal([]);
  });
});

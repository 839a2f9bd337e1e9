import { expect } from "chai";
import {
  configMapEntries,
  keyedPayload,
  secretEntries,
} from "../../../../../agent/kubelet/volumes/keyed-payload.js";
import type { Payload } from "../../../../../agent/kubelet/volumes/payload.js";
import { isBerthError, type BerthError } from "../../../../../lib/errors.js";

const field = "spec.volumes[2].configMap";
const entries = (o: Record<string, string>) =>
  new Map(Object.entries(o).map(([k, v]) => [k, Buffer.from(v)]));
const summary = (p: Payload) =>
  Object.fromEntries([...p].map(([k, f]) => [k, [f.data.toString(), f.mode.toString(8)]]));

function thrown(fn: () => unknown): BerthError {
  try {
    fn();
  } catch (err) {
    if (isBerthError(err)) return err;
    throw err;
  }
  throw new Error("expected an error");
}

describe("configMap and secret volume files", () => {
  it("projects every key as a file with mode 0644 by default", () => {
    const p = keyedPayload(entries({ a: "1", "b.conf": "2" }), {}, field, "configMap");
    expect(summary(p)).to.deep.equal({ a: ["1", "644"], "b.conf": ["2", "644"] });
  });

  it("uses defaultMode for every file", () => {
    const p = keyedPayload(entries({ a: "1" }), { defaultMode: 0o400 }, field, "secret");
    expect(summary(p)).to.deep.equal({ a: ["1", "400"] });
  });

  it("projects only the listed items, at their paths, with per-item modes", () => {
    const p = keyedPayload(
      entries({ a: "1", b: "2", c: "3" }),
      {
        defaultMode: 0o440,
        items: [
          { key: "a", path: "dir/a.txt", mode: 0o600 },
          { key: "b", path: "b-renamed" },
        ],
      },
      field,
      "configMap",
    );
    expect(summary(p)).to.deep.equal({ "dir/a.txt": ["1", "600"], "b-renamed": ["2", "440"] });
  });

  it("fails on a listed key the object lacks, with kubelet's message and the item's field", () => {
    const cm = thrown(() =>
      keyedPayload(
        entries({ a: "1" }),
        { items: [{ key: "nope", path: "x" }] },
        field,
        "configMap",
      ),
    );
    expect(cm.message).to.equal("configmap references non-existent config key: nope");
    expect(cm.field).to.equal("spec.volumes[2].configMap.items[0].key");
    const secret = thrown(() =>
      keyedPayload(entries({}), { items: [{ key: "tls.key", path: "k" }] }, field, "secret"),
    );
    expect(secret.message).to.equal("references non-existent secret key: tls.key");
  });

  it("skips a missing listed key when the volume is optional", () => {
    const p = keyedPayload(
      entries({ a: "1" }),
      {
        optional: true,
        items: [
          { key: "nope", path: "x" },
          { key: "a", path: "y" },
        ],
      },
      field,
      "configMap",
    );
    expect(summary(p)).to.deep.equal({ y: ["1", "644"] });
  });

  it("refuses bad item paths, duplicate paths and bad modes, naming the field", () => {
    const src = (items: { key: string; path: string; mode?: number }[]) => ({ items });
    expect(
      thrown(() =>
        keyedPayload(entries({ a: "1" }), src([{ key: "a", path: "../x" }]), field, "configMap"),
      ).field,
    ).to.equal("spec.volumes[2].configMap.items[0].path");
    expect(
      thrown(() =>
        keyedPayload(
          entries({ a: "1" }),
          src([
            { key: "a", path: "x" },
            { key: "a", path: "x" },
          ]),
          field,
          "configMap",
        ),
      ).message,
    ).to.match(/duplicate path "x"/);
    expect(
      thrown(() =>
        keyedPayload(
          entries({ a: "1" }),
          src([{ key: "a", path: "x", mode: 0o1777 }]),
          field,
          "secret",
        ),
      ).field,
    ).to.equal("spec.volumes[2].configMap.items[0].mode");
    expect(
      thrown(() => keyedPayload(entries({ a: "1" }), { defaultMode: 4096 }, field, "secret")).field,
    ).to.equal("spec.volumes[2].configMap.defaultMode");
  });

  it("refuses a key that is not a safe file name", () => {
    expect(
      thrown(() => keyedPayload(entries({ "..data": "x" }), {}, field, "configMap")).message,
    ).to.match(/must not start with '\.\.'/);
  });

  it("reads configMap data as text and binaryData from base64", () => {
    const e = configMapEntries(
      { data: { text: "héllo" }, binaryData: { bin: Buffer.from([0, 255, 1]).toString("base64") } },
      field,
    );
    expect(e.get("text")?.toString()).to.equal("héllo");
    expect([...(e.get("bin") ?? [])]).to.deep.equal([0, 255, 1]);
  });

  it("decodes secret data from base64, lets stringData win, and refuses bad base64", () => {
    const e = secretEntries(
      {
        data: { user: Buffer.from("admin").toString("base64"), pw: "b2xk" },
        stringData: { pw: "new" },
      },
      "spec.volumes[0].secret",
    );
    expect(e.get("user")?.toString()).to.equal("admin");
    expect(e.get("pw")?.toString()).to.equal("new");
    const err = thrown(() =>
      secretEntries({ data: { k: "not base64!" } }, "spec.volumes[0].secret"),
    );
    expect(err.message).to.equal("secret data[k] is not valid base64");
    expect(err.field).to.equal("spec.volumes[0].secret");
  });
});

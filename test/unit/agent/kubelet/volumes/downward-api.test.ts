import { expect } from "chai";
import {
  downwardApiPayload,
  fieldRefValue,
  formatMap,
} from "../../../../../agent/kubelet/volumes/downward-api.js";
import { goQuote } from "../../../../../agent/kubelet/volumes/go-quote.js";
import type { Pod } from "../../../../../agent/kube/types.js";
import { isBerthError, type BerthError } from "../../../../../lib/errors.js";

const pod: Pod = {
  metadata: {
    name: "web-1",
    namespace: "shop",
    uid: "8d3f-11",
    labels: { tier: "front", app: "web", "app.kubernetes.io/name": "shop" },
    annotations: { note: 'say "hi"\nbye', "z/last": "" },
  },
  spec: { containers: [{ name: "app" }], initContainers: [{ name: "setup" }] },
};

async function rejection(p: Promise<unknown>): Promise<BerthError> {
  try {
    await p;
  } catch (err) {
    if (isBerthError(err)) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}

describe("downward API volume", () => {
  it('formats labels and annotations as sorted key="value" lines without a final newline', () => {
    expect(fieldRefValue(pod, "metadata.labels", "f")).to.equal(
      'app="web"\napp.kubernetes.io/name="shop"\ntier="front"',
    );
    expect(fieldRefValue(pod, "metadata.annotations", "f")).to.equal(
      'note="say \\"hi\\"\\nbye"\nz/last=""',
    );
    expect(formatMap({})).to.equal("");
  });

  it("quotes values as Go's %q does", () => {
    expect(goQuote("plain")).to.equal('"plain"');
    expect(goQuote('a\\b"c')).to.equal('"a\\\\b\\"c"');
    expect(goQuote("\t\r\n\x07\v\f\b")).to.equal('"\\t\\r\\n\\a\\v\\f\\b"');
    expect(goQuote("\x00\x1b\x7f")).to.equal('"\\x00\\x1b\\x7f"');
    expect(goQuote("héllo 世界 🚀")).to.equal('"héllo 世界 🚀"');
    expect(goQuote("\u00a0\u2028\u200b")).to.equal('"\\u00a0\\u2028\\u200b"');
    expect(goQuote("\u{e0001}")).to.equal('"\\U000e0001"');
  });

  it("resolves name, namespace, uid and single labels or annotations", () => {
    expect(fieldRefValue(pod, "metadata.name", "f")).to.equal("web-1");
    expect(fieldRefValue(pod, "metadata.namespace", "f")).to.equal("shop");
    expect(fieldRefValue(pod, "metadata.uid", "f")).to.equal("8d3f-11");
    expect(fieldRefValue(pod, "metadata.labels['app.kubernetes.io/name']", "f")).to.equal("shop");
    expect(fieldRefValue(pod, "metadata.annotations['note']", "f")).to.equal('say "hi"\nbye');
    expect(fieldRefValue(pod, "metadata.labels['absent']", "f")).to.equal("");
  });

  it("refuses fields a volume cannot project, naming the item", async () => {
    const err = await rejection(
      downwardApiPayload(
        pod,
        { items: [{ path: "node", fieldRef: { fieldPath: "spec.nodeName" } }] },
        "spec.volumes[1].downwardAPI",
      ),
    );
    expect(err.message).to.equal("unsupported fieldPath: spec.nodeName");
    expect(err.field).to.equal("spec.volumes[1].downwardAPI.items[0].fieldRef.fieldPath");
  });

  it("writes one file per item with item, default or 0644 modes", async () => {
    const payload = await downwardApiPayload(
      pod,
      {
        defaultMode: 0o444,
        items: [
          { path: "labels", fieldRef: { fieldPath: "metadata.labels" } },
          { path: "meta/name", fieldRef: { fieldPath: "metadata.name" }, mode: 0o400 },
        ],
      },
      "f",
    );
    expect(payload.get("labels")?.mode).to.equal(0o444);
    expect(payload.get("meta/name")).to.deep.include({ mode: 0o400 });
    expect(payload.get("meta/name")?.data.toString()).to.equal("web-1");
    const plain = await downwardApiPayload(
      pod,
      { items: [{ path: "n", fieldRef: { fieldPath: "metadata.name" } }] },
      "f",
    );
    expect(plain.get("n")?.mode).to.equal(0o644);
  });

  it("asks the resolver for resourceFieldRefs", async () => {
    const calls: unknown[] = [];
    const payload = await downwardApiPayload(
      pod,
      {
        items: [
          {
            path: "mem",
            resourceFieldRef: { containerName: "app", resource: "limits.memory", divisor: "1Mi" },
          },
        ],
      },
      "f",
      (p, container, resource, divisor) => {
        calls.push([p.metadata?.name, container, resource, divisor]);
        return "128";
      },
    );
    expect(payload.get("mem")?.data.toString()).to.equal("128");
    expect(calls).to.deep.equal([["web-1", "app", "limits.memory", "1Mi"]]);
  });

  it("refuses a resourceFieldRef without a container, with an unknown one, or without a resolver", async () => {
    const item = (containerName?: string) => ({
      items: [{ path: "cpu", resourceFieldRef: { containerName, resource: "limits.cpu" } }],
    });
    const resolver = () => "1";
    expect((await rejection(downwardApiPayload(pod, item(), "f", resolver))).field).to.equal(
      "f.items[0].resourceFieldRef.containerName",
    );
    expect(
      (await rejection(downwardApiPayload(pod, item("ghost"), "f", resolver))).message,
    ).to.match(/container "ghost" is not in the pod/);
    expect((await rejection(downwardApiPayload(pod, item("setup"), "f"))).kind).to.equal(
      "Unimplemented",
    );
  });

  it("refuses an item with neither or both references", async () => {
    expect(
      (await rejection(downwardApiPayload(pod, { items: [{ path: "x" }] }, "f"))).message,
    ).to.match(/one of fieldRef or resourceFieldRef/);
  });
});

import { expect } from "chai";
import { configMapTable } from "../../../../../controller/resources/tables/configmaps-table.js";
import { leaseTable } from "../../../../../controller/resources/tables/leases-table.js";
import { namespaceTable } from "../../../../../controller/resources/tables/namespaces-table.js";
import { secretTable } from "../../../../../controller/resources/tables/secrets-table.js";
import { ago, columnShapes, now } from "./table-fixtures.js";

const metadata = (name: string, seconds: number) => ({ name, creationTimestamp: ago(seconds) });

describe("controller/resources/tables namespaces-table", () => {
  it("prints name, phase and age", () => {
    expect(columnShapes(namespaceTable)).to.deep.equal([
      ["Name", "string", 0],
      ["Status", "string", 0],
      ["Age", "string", 0],
    ]);
    const ns = {
      kind: "Namespace",
      metadata: metadata("kube-system", 40 * 86400),
      status: { phase: "Active" },
    };
    expect(namespaceTable.row(ns, now)).to.deep.equal(["kube-system", "Active", "40d"]);
    const ending = { metadata: metadata("old", 30), status: { phase: "Terminating" } };
    expect(namespaceTable.row(ending, now)).to.deep.equal(["old", "Terminating", "30s"]);
  });
});

describe("controller/resources/tables configmaps-table", () => {
  it("counts data and binaryData keys together", () => {
    expect(columnShapes(configMapTable)).to.deep.equal([
      ["Name", "string", 0],
      ["Data", "string", 0],
      ["Age", "string", 0],
    ]);
    const cm = {
      metadata: metadata("settings", 90),
      data: { "app.conf": "x=1", mode: "fast" },
      binaryData: { "logo.png": "iVBORw0KGgo=" },
    };
    expect(configMapTable.row(cm, now)).to.deep.equal(["settings", 3, "90s"]);
    expect(configMapTable.row({ metadata: metadata("empty", 90) }, now)).to.deep.equal([
      "empty",
      0,
      "90s",
    ]);
  });
});

describe("controller/resources/tables secrets-table", () => {
  it("prints type and the number of data keys", () => {
    expect(columnShapes(secretTable)).to.deep.equal([
      ["Name", "string", 0],
      ["Type", "string", 0],
      ["Data", "string", 0],
      ["Age", "string", 0],
    ]);
    const secret = {
      metadata: metadata("tls", 5 * 3600 + 20 * 60),
      type: "kubernetes.io/tls",
      data: { "tls.crt": "LS0t", "tls.key": "LS0t" },
    };
    expect(secretTable.row(secret, now)).to.deep.equal(["tls", "kubernetes.io/tls", 2, "5h20m"]);
  });
});

describe("controller/resources/tables leases-table", () => {
  it("prints the holder identity, empty when nobody holds the lease", () => {
    expect(columnShapes(leaseTable)).to.deep.equal([
      ["Name", "string", 0],
      ["Holder", "string", 0],
      ["Age", "string", 0],
    ]);
    const lease = {
      metadata: metadata("node-a", 86400 * 400),
      spec: { holderIdentity: "node-a", leaseDurationSeconds: 40 },
    };
    expect(leaseTable.row(lease, now)).to.deep.equal(["node-a", "node-a", "400d"]);
    expect(leaseTable.row({ metadata: metadata("free", 10), spec: {} }, now)).to.deep.equal([
      "free",
      "",
      "10s",
    ]);
  });
});

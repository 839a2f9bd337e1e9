import { expect } from "chai";
import {
  parseIpList,
  parseNodeLabels,
  parseTaints,
} from "../../../../../agent/kubelet/kubelet-flags.js";

describe("kubelet flags: --node-labels, --register-with-taints, --cluster-dns", () => {
  it("parses labels, prefixed keys and empty values included", () => {
    expect(parseNodeLabels("zone=a, berth.dev/role=edge,empty=")).to.deep.equal({
      zone: "a",
      "berth.dev/role": "edge",
      empty: "",
    });
    expect(parseNodeLabels("")).to.deep.equal({});
  });

  it("refuses a label without a value or with an invalid key or value, naming the flag", () => {
    for (const bad of ["zone", "-zone=a", "zone=a b", "Bad_Prefix/x=y"]) {
      expect(() => parseNodeLabels(bad), bad)
        .to.throw(/--node-labels/)
        .with.property("field", "node-labels");
    }
  });

  it("parses taints with and without values", () => {
    expect(parseTaints("dedicated=gpu:NoSchedule,maintenance:NoExecute")).to.deep.equal([
      { key: "dedicated", value: "gpu", effect: "NoSchedule" },
      { key: "maintenance", effect: "NoExecute" },
    ]);
  });

  it("refuses a taint without an effect or with an unknown one", () => {
    expect(() => parseTaints("dedicated=gpu")).to.throw(/key\[=value\]:Effect/);
    expect(() => parseTaints("a=b:Sometimes")).to.throw(/effect "Sometimes" must be one of/);
  });

  it("parses a list of IPs and refuses a name", () => {
    expect(parseIpList("10.96.0.10, fd00::a")).to.deep.equal(["10.96.0.10", "fd00::a"]);
    expect(() => parseIpList("10.96.0.10,dns.local")).to.throw(/"dns.local" is not an IP address/);
  });
});

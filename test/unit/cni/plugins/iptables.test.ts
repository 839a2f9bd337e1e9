import { expect } from "chai";
import {
  chainComment,
  chainName,
  parseChainComment,
  parseSave,
  ruleArg,
  ruleLine,
  tokenize,
} from "../../../../cni/plugins/common/iptables.js";

describe("cni/plugins/common iptables", () => {
  it("names chains like the reference plugins (sha512 of network + container ID, 28 chars)", () => {
    // Observed from /usr/lib/cni/bridge 1.1.1 with network "reftest", container "refc1".
    expect(chainName("reftest", "refc1")).to.equal("CNI-c7105fdd512923bcdcbaefe5");
    expect(chainName("reftest", "refc1", "DN-")).to.match(/^CNI-DN-[0-9a-f]{21}$/);
  });

  it("writes and parses the reference rule comment", () => {
    const comment = chainComment("net", "abc");
    expect(comment).to.equal('name: "net" id: "abc"');
    expect(parseChainComment(comment)).to.deep.equal({ network: "net", containerId: "abc" });
    expect(parseChainComment("CNI portfwd requiring masquerade")).to.equal(undefined);
  });

  it("quotes restore arguments that hold spaces or quotes", () => {
    expect(
      ruleLine("-A", "POSTROUTING", [
        "-s",
        "10.0.0.2/32",
        "-m",
        "comment",
        "--comment",
        'name: "n" id: "c"',
        "-j",
        "X",
      ]),
    ).to.equal(
      '-A POSTROUTING -s 10.0.0.2/32 -m comment --comment "name: \\"n\\" id: \\"c\\"" -j X',
    );
  });

  it("parses iptables-save output into chains and tokenized rules", () => {
    const saved = parseSave(
      [
        "*nat",
        ":POSTROUTING ACCEPT [0:0]",
        ":CNI-abc - [0:0]",
        '-A POSTROUTING -s 10.242.1.2/32 -m comment --comment "name: \\"n\\" id: \\"c1\\"" -j CNI-abc',
        "COMMIT",
      ].join("\n"),
    );
    expect([...saved.chains]).to.deep.equal(["POSTROUTING", "CNI-abc"]);
    expect(saved.rules).to.have.length(1);
    const rule = saved.rules[0];
    expect(rule.chain).to.equal("POSTROUTING");
    expect(ruleArg(rule, "-j")).to.equal("CNI-abc");
    expect(ruleArg(rule, "--comment")).to.equal('name: "n" id: "c1"');
    expect(rule.line).to.match(/^POSTROUTING -s 10\.242\.1\.2\/32 /);
  });

  it("tokenizes negations and empty quoted strings", () => {
    expect(tokenize('-A X ! -d 224.0.0.0/4 --comment "" -j MASQUERADE')).to.deep.equal([
      "-A",
      "X",
      "!",
      "-d",
      "224.0.0.0/4",
      "--comment",
      "",
      "-j",
      "MASQUERADE",
    ]);
  });
});

import { expect } from "chai";
import { parseSave, tokenize } from "../../../../../cni/plugins/common/iptables.js";
import { containerRules } from "../../../../../cni/plugins/portmap/chains.js";
import type { PortmapConfig } from "../../../../../cni/plugins/portmap/config.js";
import {
  addScript,
  missingRules,
  removeScript,
  staleChains,
} from "../../../../../cni/plugins/portmap/plan.js";
import { CniError } from "../../../../../cni/spec/errors.js";

const conf = (extra: Partial<PortmapConfig> = {}): PortmapConfig => ({
  network: "net",
  snat: true,
  markMasqBit: 13,
  mappings: [{ hostPort: 8080, containerPort: 80, protocol: "tcp" }],
  ...extra,
});
const pod = { ip: "10.88.0.5", subnet: "10.88.0.0/16" };
const empty = parseSave(
  "*nat\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n",
);

/** The table as iptables would hold it after `script` ran on `before` (enough for these rules). */
function applied(before: string[], script: string[]): string {
  const lines = [...before];
  for (const line of script) {
    const [op, chain] = tokenize(line);
    if (op === "-N") lines.push(`:${chain} - [0:0]`);
    else if (op === "-A" || op === "-I") lines.push(`-A ${line.slice(3)}`);
    else if (op.startsWith(":") && !lines.includes(`${op} - [0:0]`)) lines.push(line);
  }
  return `*nat\n${lines.join("\n")}\nCOMMIT\n`;
}

const base = [":PREROUTING ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]"];

describe("berth-portmap restore scripts", () => {
  it("ADD on an empty table creates the shared chains, then the container's rules and jumps", () => {
    const own = containerRules(conf(), "c1", pod);
    const script = addScript(empty, conf(), own);
    expect(script.slice(0, 4)).to.deep.equal([
      "-N CNI-HOSTPORT-DNAT",
      "-N CNI-HOSTPORT-SETMARK",
      "-N CNI-HOSTPORT-MASQ",
      `-N ${own.chain}`,
    ]);
    expect(script).to.include("-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT");
    expect(script).to.include("-A OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT");
    expect(script).to.include(
      '-A CNI-HOSTPORT-SETMARK -m comment --comment "CNI portfwd masquerade mark" -j MARK --set-xmark 0x2000/0x2000',
    );
    expect(script).to.include("-A CNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE");
    expect(script).to.include(
      '-I POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ',
    );
    expect(script.at(-1)).to.equal(
      `-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "name: \\"net\\" id: \\"c1\\"" -m multiport --dports 8080 -j ${own.chain}`,
    );
    // What the script builds is exactly what CHECK wants.
    const after = parseSave(applied(base, script));
    expect(missingRules(after, conf(), own)).to.deep.equal([]);
    expect(missingRules(empty, conf(), own)).to.have.length.above(5);
  });

  it("ADD next to another container only adds its own chain, rules and jumps", () => {
    const first = containerRules(conf(), "c1", pod);
    const table = applied(base, addScript(empty, conf(), first));
    const second = containerRules(conf(), "c2", { ...pod, ip: "10.88.0.6" });
    const script = addScript(parseSave(table), conf(), second);
    expect(script[0]).to.equal(`-N ${second.chain}`);
    expect(script).to.have.length(1 + second.rules.length + second.jumps.length);
  });

  it("a repeated ADD flushes the container's chain and replaces its old jumps", () => {
    const own = containerRules(conf(), "c1", pod);
    const table = parseSave(applied(base, addScript(empty, conf(), own)));
    const script = addScript(table, conf(), own);
    expect(script[0]).to.equal(`:${own.chain} - [0:0]`);
    expect(script[1]).to.match(/^-D CNI-HOSTPORT-DNAT -p tcp .* -j CNI-DN-/);
  });

  it("ADD with a missing externalSetMarkChain asks to try again later (code 11)", () => {
    const c = conf({ externalSetMarkChain: "KUBE-MARK-MASQ" });
    const own = containerRules(c, "c1", pod);
    try {
      addScript(empty, c, own);
      expect.fail("expected a CniError");
    } catch (err) {
      expect((err as CniError).code).to.equal(11);
    }
  });

  it("DEL of something that does not exist is an empty script", () => {
    expect(removeScript(empty, new Set(["CNI-DN-0123456789abcdef01234"]))).to.deep.equal([]);
  });

  it("DEL of one of two containers removes its chain and jumps, keeping the shared chains", () => {
    const a = containerRules(conf(), "c1", pod);
    const b = containerRules(conf(), "c2", { ...pod, ip: "10.88.0.6" });
    const one = applied(base, addScript(empty, conf(), a));
    const both = parseSave(
      applied(one.split("\n").slice(1, -2), addScript(parseSave(one), conf(), b)),
    );
    const script = removeScript(both, new Set([a.chain]));
    expect(script[0]).to.equal(`-F ${a.chain}`);
    expect(script[1]).to.match(new RegExp(`^-D CNI-HOSTPORT-DNAT .* -j ${a.chain}$`));
    expect(script.slice(2)).to.deep.equal([`-X ${a.chain}`]);
  });

  it("DEL of the last container also removes the shared chains, flushing rather than deleting their rules", () => {
    const own = containerRules(conf(), "c1", pod);
    const table = parseSave(applied(base, addScript(empty, conf(), own)));
    const script = removeScript(table, new Set([own.chain]));
    expect(script).to.deep.equal([
      `-F ${own.chain}`,
      "-F CNI-HOSTPORT-DNAT",
      `-X ${own.chain}`,
      "-D PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT",
      "-D OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT",
      "-X CNI-HOSTPORT-DNAT",
      "-F CNI-HOSTPORT-SETMARK",
      "-X CNI-HOSTPORT-SETMARK",
      '-D POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ',
      "-F CNI-HOSTPORT-MASQ",
      "-X CNI-HOSTPORT-MASQ",
    ]);
  });

  it("keeps the set-mark chain while another (orphaned) chain still jumps to it", () => {
    const own = containerRules(conf(), "c1", pod);
    const table = applied(base, addScript(empty, conf(), own)).replace(
      "COMMIT",
      ":CNI-DN-orphan - [0:0]\n-A CNI-DN-orphan -p tcp -m tcp --dport 1 -j CNI-HOSTPORT-SETMARK\nCOMMIT",
    );
    const script = removeScript(parseSave(table), new Set([own.chain]));
    expect(script).to.include("-X CNI-HOSTPORT-DNAT");
    expect(script).to.not.include("-X CNI-HOSTPORT-SETMARK");
  });

  it("GC picks this network's container chains whose id is not valid, by comment, including the reference plugin's", () => {
    const table = parseSave(
      [
        "*nat",
        ":CNI-HOSTPORT-DNAT - [0:0]",
        ":CNI-DN-aaa - [0:0]",
        ":CNI-DN-bbb - [0:0]",
        ":CNI-DN-ccc - [0:0]",
        ":CNI-DN-ddd - [0:0]",
        ":CNI-0123 - [0:0]",
        '-A POSTROUTING -s 10.88.0.9/32 -m comment --comment "name: \\"net\\" id: \\"gone\\"" -j CNI-0123',
        '-A CNI-0123 -d 10.88.0.0/16 -m comment --comment "name: \\"net\\" id: \\"gone\\"" -j ACCEPT',
        '-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "name: \\"net\\" id: \\"keep\\"" -m multiport --dports 1 -j CNI-DN-aaa',
        '-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "name: \\"net\\" id: \\"gone\\"" -m multiport --dports 2 -j CNI-DN-bbb',
        '-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"net\\" id: \\"ref\\"" -m multiport --dports 3 -j CNI-DN-ccc',
        '-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "name: \\"other\\" id: \\"gone\\"" -m multiport --dports 4 -j CNI-DN-ddd',
        "COMMIT",
      ].join("\n"),
    );
    expect([...staleChains(table, "net", new Set(["keep"]))].sort()).to.deep.equal([
      "CNI-DN-bbb",
      "CNI-DN-ccc",
    ]);
    expect([...staleChains(table, "net", new Set(["keep", "gone", "ref"]))]).to.deep.equal([]);
  });
});

import { expect } from "chai";
import {
  escapeHelp,
  escapeLabelValue,
  ExpositionWriter,
  formatValue,
  labelSet,
} from "../../../../../agent/kubelet/cadvisor/exposition.js";
import { parseExposition } from "../../../../support/exposition-parser.js";

describe("cadvisor exposition writer", () => {
  it("escapes backslash, double quote and line feed in label values, and nothing else", () => {
    expect(escapeLabelValue('a\\b"c\nd')).to.equal('a\\\\b\\"c\\nd');
    expect(escapeLabelValue("plain /berth/pod-1 ünïcode {}=,")).to.equal(
      "plain /berth/pod-1 ünïcode {}=,",
    );
  });

  it("escapes backslash and line feed in HELP, leaving quotes", () => {
    expect(escapeHelp('say "hi"\\now\nthen')).to.equal('say "hi"\\\\now\\nthen');
  });

  it("formats values as Go parses them", () => {
    expect(formatValue(0)).to.equal("0");
    expect(formatValue(2.5)).to.equal("2.5");
    expect(formatValue(1e-9)).to.equal("1e-9");
    expect(formatValue(NaN)).to.equal("NaN");
    expect(formatValue(Infinity)).to.equal("+Inf");
    expect(formatValue(-Infinity)).to.equal("-Inf");
  });

  it("writes families with HELP and TYPE, label sets, and timestamps only when given", () => {
    const w = new ExpositionWriter();
    w.family("x_total", "An x.", "counter");
    w.sample(
      "x_total",
      labelSet([
        ["a", 'q"'],
        ["b", ""],
      ]),
      3,
      1700000000123.4,
    );
    w.sample("x_total", labelSet([]), 4);
    const text = w.text();
    expect(text).to.equal(
      '# HELP x_total An x.\n# TYPE x_total counter\nx_total{a="q\\"",b=""} 3 1700000000123\nx_total 4\n',
    );
    expect(parseExposition(text).samples[0].labels).to.deep.equal({ a: 'q"', b: "" });
    expect(new ExpositionWriter().text()).to.equal("");
  });
});

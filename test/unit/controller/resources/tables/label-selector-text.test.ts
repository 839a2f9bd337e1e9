import { expect } from "chai";
import {
  formatLabelSelector,
  formatLabels,
  labelSelectorString,
} from "../../../../../controller/resources/tables/label-selector-text.js";

describe("controller/resources/tables label-selector-text", () => {
  it("prints matchLabels as key=value sorted by key", () => {
    expect(formatLabelSelector({ matchLabels: { tier: "web", app: "shop" } })).to.equal(
      "app=shop,tier=web",
    );
  });

  it("prints each expression operator the way kubectl does, sorted by key with values sorted", () => {
    const selector = {
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["b", "a"] },
        { key: "x", operator: "DoesNotExist" },
        { key: "env", operator: "NotIn", values: ["dev"] },
        { key: "y", operator: "Exists", values: [] },
      ],
    };
    expect(formatLabelSelector(selector)).to.equal("app=web,env notin (dev),tier in (a,b),!x,y");
  });

  it("keeps a matchLabels entry before an expression on the same key", () => {
    const selector = {
      matchLabels: { app: "web" },
      matchExpressions: [{ key: "app", operator: "Exists" }],
    };
    expect(formatLabelSelector(selector)).to.equal("app=web,app");
  });

  it("prints <none> for a missing or empty selector", () => {
    expect(formatLabelSelector(undefined)).to.equal("<none>");
    expect(formatLabelSelector({})).to.equal("<none>");
    expect(formatLabelSelector({ matchLabels: {}, matchExpressions: [] })).to.equal("<none>");
    expect(labelSelectorString({})).to.equal("");
  });

  it("prints <error> for a selector Kubernetes could not convert", () => {
    const bad = [
      { matchExpressions: [{ key: "a", operator: "Matches", values: ["x"] }] },
      { matchExpressions: [{ key: "a", operator: "In", values: [] }] },
      { matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] },
      { matchExpressions: [{ key: "bad key", operator: "Exists" }] },
      { matchLabels: { app: "not valid!" } },
      { matchLabels: { app: 3 } },
      { matchLabels: "app=web" },
      { matchExpressions: { key: "a" } },
      "app=web",
    ];
    for (const selector of bad) {
      expect(formatLabelSelector(selector), JSON.stringify(selector)).to.equal("<error>");
      expect(labelSelectorString(selector)).to.equal(undefined);
    }
  });

  it("accepts prefixed keys and empty values", () => {
    const selector = { matchLabels: { "app.kubernetes.io/name": "", "example.com/x": "1" } };
    expect(formatLabelSelector(selector)).to.equal("app.kubernetes.io/name=,example.com/x=1");
  });

  it("formats a plain label map, or <none>", () => {
    expect(formatLabels({ b: "2", a: "1" })).to.equal("a=1,b=2");
    expect(formatLabels({})).to.equal("<none>");
    expect(formatLabels(undefined)).to.equal("<none>");
  });
});

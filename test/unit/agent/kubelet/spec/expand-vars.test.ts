import { expect } from "chai";
import { expandVars, lookupIn } from "../../../../../agent/kubelet/spec/expand-vars.js";

const lookup = lookupIn(
  { NAME: "world", EMPTY: "" },
  new Map([
    ["OTHER", "x"],
    ["NAME", "ignored"],
  ]),
);

describe("agent/kubelet/spec expand-vars ($(VAR) references)", () => {
  it("replaces $(VAR) with the value of a defined variable", () => {
    expect(expandVars("hello $(NAME)", lookup)).to.equal("hello world");
    expect(expandVars("$(NAME)$(OTHER)", lookup)).to.equal("worldx");
  });

  it("takes a name from the first source that defines it, even as empty", () => {
    expect(expandVars("[$(EMPTY)]", lookup)).to.equal("[]");
    expect(expandVars("$(NAME)", lookupIn({}, { NAME: "second" }))).to.equal("second");
  });

  it("leaves a reference to an undefined variable as written", () => {
    expect(expandVars("a $(MISSING) b", lookup)).to.equal("a $(MISSING) b");
  });

  it("escapes $$(VAR) to the literal $(VAR), and $$ to $", () => {
    expect(expandVars("$$(NAME)", lookup)).to.equal("$(NAME)");
    expect(expandVars("cost: $$5", lookup)).to.equal("cost: $5");
    expect(expandVars("$$$(NAME)", lookup)).to.equal("$world");
  });

  it("keeps a lone $, $x and an unclosed $( as written", () => {
    expect(expandVars("$", lookup)).to.equal("$");
    expect(expandVars("echo $HOME", lookup)).to.equal("echo $HOME");
    expect(expandVars("a $(NAME", lookup)).to.equal("a $(NAME");
    expect(expandVars("end$", lookup)).to.equal("end$");
  });

  it("does not expand a value a reference produced", () => {
    const l = lookupIn({ A: "$(B)", B: "no" });
    expect(expandVars("$(A)", l)).to.equal("$(B)");
  });
});

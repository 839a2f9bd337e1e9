import { expect } from "chai";
import { applyMergePatch } from "../../../../controller/patch/merge-patch.js";

describe("controller/patch applyMergePatch (RFC 7386)", () => {
  // The example document of RFC 7386 section 3, and the patch the section applies to it.
  it("changes, removes and adds members of the RFC's example document", () => {
    const target = {
      title: "Goodbye!",
      author: { givenName: "John", familyName: "Doe" },
      tags: ["example", "sample"],
      content: "This will be unchanged",
    };
    const patch = {
      title: "Hello!",
      phoneNumber: "+01-123-456-7890",
      author: { familyName: null },
      tags: ["example"],
    };
    expect(applyMergePatch(target, patch)).to.deep.equal({
      title: "Hello!",
      author: { givenName: "John" },
      tags: ["example"],
      content: "This will be unchanged",
      phoneNumber: "+01-123-456-7890",
    });
  });

  const cases: { name: string; target: unknown; patch: unknown; result: unknown }[] = [
    { name: "replaces a member", target: { a: "b" }, patch: { a: "c" }, result: { a: "c" } },
    { name: "adds a member", target: { a: "b" }, patch: { b: "c" }, result: { a: "b", b: "c" } },
    {
      name: "null removes a member",
      target: { a: "b", b: "c" },
      patch: { a: null },
      result: { b: "c" },
    },
    {
      name: "a scalar replaces an array",
      target: { a: ["b"] },
      patch: { a: "c" },
      result: { a: "c" },
    },
    {
      name: "an array replaces a scalar",
      target: { a: "c" },
      patch: { a: ["b"] },
      result: { a: ["b"] },
    },
    {
      name: "merges nested objects, dropping nulls",
      target: { a: { b: "c" } },
      patch: { a: { b: "d", c: null } },
      result: { a: { b: "d" } },
    },
    {
      name: "never merges arrays",
      target: { a: [{ b: "c" }] },
      patch: { a: [1] },
      result: { a: [1] },
    },
    {
      name: "a non-object patch replaces the target",
      target: { a: "b" },
      patch: ["c"],
      result: ["c"],
    },
    { name: "a null patch is the result", target: { a: "foo" }, patch: null, result: null },
    { name: "a string patch is the result", target: { a: "foo" }, patch: "bar", result: "bar" },
    {
      name: "keeps a null already in the target",
      target: { e: null },
      patch: { a: 1 },
      result: { e: null, a: 1 },
    },
    {
      name: "an object patch on a non-object target starts from {}",
      target: [1, 2],
      patch: { a: "b", c: null },
      result: { a: "b" },
    },
    {
      name: "a patch creating a member removes nulls below it",
      target: {},
      patch: { a: { bb: { ccc: null } } },
      result: { a: { bb: {} } },
    },
  ];
  for (const { name, target, patch, result } of cases) {
    it(name, () => expect(applyMergePatch(target, patch)).to.deep.equal(result));
  }

  it("does not modify its inputs or share structure with them", () => {
    const target = { spec: { replicas: 1, template: { labels: { app: "a" } } } };
    const patch = { spec: { replicas: 3, selector: { app: "a" } } };
    const before = JSON.stringify([target, patch]);
    const result = applyMergePatch(target, patch) as {
      spec: { template: object; selector: object };
    };
    expect(JSON.stringify([target, patch])).to.equal(before);
    expect(result.spec.template).to.not.equal(target.spec.template);
    expect(result.spec.selector).to.not.equal(patch.spec.selector);
  });

  it('treats a "__proto__" key as data, never touching Object.prototype', () => {
    const patch = JSON.parse('{"data": {"__proto__": {"polluted": true}}}') as unknown;
    const result = applyMergePatch({ data: {} }, patch) as { data: object };
    expect(Object.hasOwn(result.data, "__proto__")).to.equal(true);
    expect(JSON.stringify(result)).to.equal('{"data":{"__proto__":{"polluted":true}}}');
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});

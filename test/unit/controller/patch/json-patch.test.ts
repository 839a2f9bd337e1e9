import { expect } from "chai";
import { isBerthError } from "../../../../lib/errors.js";
import { applyJsonPatch } from "../../../../controller/patch/json-patch.js";
import { formatJsonPointer, parseJsonPointer } from "../../../../controller/patch/json-pointer.js";

function rejection(target: unknown, ops: unknown): Error {
  try {
    applyJsonPatch(target, ops);
  } catch (err) {
    expect(isBerthError(err, "InvalidArgument"), String(err)).to.equal(true);
    return err as Error;
  }
  throw new Error("expected the patch to be rejected");
}

describe("controller/patch JSON pointer (RFC 6901)", () => {
  it("decodes ~1 to / and ~0 to ~, in that order", () => {
    expect(parseJsonPointer("")).to.deep.equal([]);
    expect(parseJsonPointer("/a~1b/m~0n/~01")).to.deep.equal(["a/b", "m~n", "~1"]);
    expect(parseJsonPointer("/")).to.deep.equal([""]);
  });

  it("encodes tokens back", () => {
    expect(formatJsonPointer(["a/b", "m~n", "~1"])).to.equal("/a~1b/m~0n/~01");
  });

  it("rejects pointers without a leading slash or with a bad escape", () => {
    expect(() => parseJsonPointer("a/b")).to.throw(/must start with "\/"/);
    expect(() => parseJsonPointer("/a~2")).to.throw(/invalid escape/);
  });
});

describe("controller/patch applyJsonPatch (RFC 6902)", () => {
  // Vectors built from the operations RFC 6902 section 4 and appendix A describe.
  it("adds an object member", () => {
    expect(
      applyJsonPatch({ foo: "bar" }, [{ op: "add", path: "/baz", value: "qux" }]),
    ).to.deep.equal({
      foo: "bar",
      baz: "qux",
    });
  });

  it("inserts into an array at an index, shifting the rest", () => {
    const doc = { foo: ["bar", "baz"] };
    expect(applyJsonPatch(doc, [{ op: "add", path: "/foo/1", value: "qux" }])).to.deep.equal({
      foo: ["bar", "qux", "baz"],
    });
  });

  it('appends with "-"', () => {
    expect(
      applyJsonPatch({ foo: [1] }, [{ op: "add", path: "/foo/-", value: [2, 3] }]),
    ).to.deep.equal({
      foo: [1, [2, 3]],
    });
  });

  it("removes an object member and an array element", () => {
    expect(
      applyJsonPatch({ baz: "qux", foo: "bar" }, [{ op: "remove", path: "/baz" }]),
    ).to.deep.equal({
      foo: "bar",
    });
    expect(
      applyJsonPatch({ foo: ["bar", "qux", "baz"] }, [{ op: "remove", path: "/foo/1" }]),
    ).to.deep.equal({
      foo: ["bar", "baz"],
    });
  });

  it("replaces a value", () => {
    const doc = { baz: "qux", foo: "bar" };
    expect(applyJsonPatch(doc, [{ op: "replace", path: "/baz", value: "boo" }])).to.deep.equal({
      baz: "boo",
      foo: "bar",
    });
  });

  it("moves a value between objects and within an array", () => {
    const doc = { foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } };
    expect(
      applyJsonPatch(doc, [{ op: "move", from: "/foo/waldo", path: "/qux/thud" }]),
    ).to.deep.equal({
      foo: { bar: "baz" },
      qux: { corge: "grault", thud: "fred" },
    });
    const list = { foo: ["all", "grass", "cows", "eat"] };
    expect(applyJsonPatch(list, [{ op: "move", from: "/foo/1", path: "/foo/3" }])).to.deep.equal({
      foo: ["all", "cows", "eat", "grass"],
    });
  });

  it("copies a value", () => {
    expect(
      applyJsonPatch({ a: { b: [1] } }, [{ op: "copy", from: "/a", path: "/c" }]),
    ).to.deep.equal({
      a: { b: [1] },
      c: { b: [1] },
    });
  });

  it("adds a nested member object", () => {
    expect(
      applyJsonPatch({ foo: "bar" }, [{ op: "add", path: "/child", value: { grandchild: {} } }]),
    ).to.deep.equal({ foo: "bar", child: { grandchild: {} } });
  });

  it("ignores members an operation does not define", () => {
    const ops = [{ op: "add", path: "/baz", value: "qux", xyz: 123 }];
    expect(applyJsonPatch({ foo: "bar" }, ops)).to.deep.equal({ foo: "bar", baz: "qux" });
  });

  it("tests values with JSON equality, including escaped paths", () => {
    const doc = { baz: "qux", foo: ["a", 2, "c"], "/": 9, "~1": 10, obj: { x: 1, y: [true] } };
    const ops = [
      { op: "test", path: "/baz", value: "qux" },
      { op: "test", path: "/foo/1", value: 2 },
      { op: "test", path: "/~1", value: 9 },
      { op: "test", path: "/~01", value: 10 },
      { op: "test", path: "/obj", value: { y: [true], x: 1 } },
    ];
    expect(applyJsonPatch(doc, ops)).to.deep.equal(doc);
  });

  it("rejects a failing test, naming the path", () => {
    const err = rejection({ baz: "qux" }, [{ op: "test", path: "/baz", value: "bar" }]);
    expect(err.message).to.match(/operation 0 \(test\) failed: testing value \/baz failed/);
    expect((err as { field?: string }).field).to.equal("/baz");
  });

  it('does not treat the string "10" as the number 10', () => {
    rejection({ "/": 9, "~1": 10 }, [{ op: "test", path: "/~01", value: "10" }]);
  });

  it("rejects adding below a member that does not exist", () => {
    const err = rejection({ foo: "bar" }, [{ op: "add", path: "/baz/bat", value: "qux" }]);
    expect(err.message).to.match(/doc is missing path: "\/baz\/bat"/);
  });

  it("rejects removing or replacing what is not there", () => {
    expect(rejection({ a: 1 }, [{ op: "remove", path: "/b" }]).message).to.match(
      /missing path: "\/b"/,
    );
    expect(rejection({ a: [1] }, [{ op: "replace", path: "/a/1", value: 2 }]).message).to.match(
      /missing path/,
    );
    rejection({ a: [1] }, [{ op: "replace", path: "/a/-", value: 2 }]);
  });

  it("rejects array indexes out of range, with leading zeros or not numeric", () => {
    rejection({ a: [1] }, [{ op: "add", path: "/a/2", value: 0 }]);
    rejection({ a: [1, 2] }, [{ op: "remove", path: "/a/01" }]);
    rejection({ a: [1] }, [{ op: "add", path: "/a/x", value: 0 }]);
  });

  it("rejects moving a value into its own child", () => {
    expect(
      rejection({ a: { b: {} } }, [{ op: "move", from: "/a", path: "/a/b/c" }]).message,
    ).to.match(/into its own child/);
  });

  it("rejects malformed operations with a clear message", () => {
    expect(rejection({}, { op: "add" }).message).to.match(/must be an array/);
    expect(rejection({}, [{ op: "frobnicate", path: "/a" }]).message).to.match(
      /unknown op "frobnicate"/,
    );
    expect(rejection({}, [{ op: "add", path: "/a" }]).message).to.match(/"value" is missing/);
    expect(rejection({}, [{ op: "move", path: "/a" }]).message).to.match(/"from" must be a string/);
    expect(rejection({}, [{ op: "add", path: "a", value: 1 }]).message).to.match(/must start with/);
  });

  it("applies all or nothing and never modifies its input", () => {
    const doc = { a: 1, list: [1, 2] };
    rejection(doc, [
      { op: "add", path: "/b", value: 2 },
      { op: "remove", path: "/list/0" },
      { op: "test", path: "/a", value: 5 },
    ]);
    expect(doc).to.deep.equal({ a: 1, list: [1, 2] });
    const value = { x: [1] };
    const result = applyJsonPatch(doc, [{ op: "add", path: "/v", value }]) as { v: unknown };
    expect(result.v).to.deep.equal(value);
    expect(result.v).to.not.equal(value);
  });

  it("replaces or adds the whole document at the empty path", () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: "replace", path: "", value: [1] }])).to.deep.equal([1]);
    expect(applyJsonPatch({ a: 1 }, [{ op: "add", path: "", value: { b: 2 } }])).to.deep.equal({
      b: 2,
    });
  });
});

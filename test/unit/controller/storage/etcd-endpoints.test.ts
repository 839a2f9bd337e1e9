import { expect } from "chai";
import { parseEndpoints } from "../../../../controller/storage/etcd-endpoints.js";

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { field?: string }).field;
  }
  expect.fail("no error thrown");
}

describe("controller/storage etcd endpoints", () => {
  it("turns client URLs into gRPC targets", () => {
    expect(
      parseEndpoints(["http://127.0.0.1:2379", "https://etcd.example:2379/", "10.0.0.1:4001"]),
    ).to.deep.equal([
      { url: "http://127.0.0.1:2379", target: "127.0.0.1:2379", secure: false },
      { url: "https://etcd.example:2379/", target: "etcd.example:2379", secure: true },
      { url: "10.0.0.1:4001", target: "10.0.0.1:4001", secure: false },
    ]);
  });

  it("accepts IPv6 literals", () => {
    expect(parseEndpoints(["http://[::1]:2379"])[0].target).to.equal("[::1]:2379");
  });

  it("rejects a missing or empty list", () => {
    expect(fieldOf(() => parseEndpoints([]))).to.equal("endpoints");
    expect(fieldOf(() => parseEndpoints(undefined))).to.equal("endpoints");
  });

  it("rejects bad entries naming their index", () => {
    expect(fieldOf(() => parseEndpoints(["http://a:1", "http://nope"]))).to.equal("endpoints[1]");
    expect(fieldOf(() => parseEndpoints(["unix:///run/etcd.sock"]))).to.equal("endpoints[0]");
    expect(fieldOf(() => parseEndpoints(["http://a:99999"]))).to.equal("endpoints[0]");
    expect(fieldOf(() => parseEndpoints(["http://a:1/v3/path"]))).to.equal("endpoints[0]");
    expect(fieldOf(() => parseEndpoints([7]))).to.equal("endpoints[0]");
    expect(() => parseEndpoints(["ftp://a:1"])).to.throw(/endpoints\[0\]: "ftp:\/\/a:1"/);
  });
});

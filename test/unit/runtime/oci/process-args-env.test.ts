import { expect } from "chai";
import { processArgs } from "../../../../agent/runtime/oci/process-args.js";
import { defaultPath, processEnv } from "../../../../agent/runtime/oci/process-env.js";

describe("process args", () => {
  const image = { Entrypoint: ["/entry"], Cmd: ["--serve"] };

  it("runs the image's Entrypoint with its Cmd when the CRI gives neither", () => {
    expect(processArgs([], [], image)).to.deep.equal(["/entry", "--serve"]);
  });

  it("lets args replace the image's Cmd, keeping the Entrypoint", () => {
    expect(processArgs([], ["--debug"], image)).to.deep.equal(["/entry", "--debug"]);
  });

  it("lets command replace the Entrypoint and drops the image's Cmd", () => {
    expect(processArgs(["/bin/sh"], [], image)).to.deep.equal(["/bin/sh"]);
  });

  it("runs command followed by args", () => {
    expect(processArgs(["/bin/sh", "-c"], ["echo hi"], image)).to.deep.equal([
      "/bin/sh",
      "-c",
      "echo hi",
    ]);
  });

  it("runs the image's Cmd alone when it has no Entrypoint", () => {
    expect(processArgs([], [], { Cmd: ["sh"] })).to.deep.equal(["sh"]);
    expect(processArgs([], [], { Entrypoint: null, Cmd: ["sh"] })).to.deep.equal(["sh"]);
    expect(processArgs([], [], { Entrypoint: [""], Cmd: ["sh"] })).to.deep.equal(["sh"]);
  });

  it("is InvalidArgument when there is nothing to run", () => {
    expect(() => processArgs([], [], {})).to.throw(/config\.command: no command specified/);
    expect(() => processArgs([], [], { Entrypoint: [], Cmd: null })).to.throw(
      /no command specified/,
    );
    expect(() => processArgs([""], [], {})).to.throw(/empty string/);
  });
});

describe("process env", () => {
  const kv = (key: string, value: string) => ({ key, value: Buffer.from(value) });

  it("starts from a default PATH and HOSTNAME", () => {
    expect(processEnv(undefined, [], "pod")).to.deep.equal([defaultPath, "HOSTNAME=pod"]);
  });

  it("lets the image's PATH replace the default, in place", () => {
    expect(processEnv(["PATH=/bin", "LANG=C"], [], "pod")).to.deep.equal([
      "PATH=/bin",
      "HOSTNAME=pod",
      "LANG=C",
    ]);
  });

  it("lets CRI envs override the image's by key and appends new ones", () => {
    expect(processEnv(["A=1", "B=2"], [kv("B", "x"), kv("C", "=y=")], "pod")).to.deep.equal([
      defaultPath,
      "HOSTNAME=pod",
      "A=1",
      "B=x",
      "C==y=",
    ]);
  });

  it("lets the image override HOSTNAME and unset a variable with a bare name", () => {
    expect(processEnv(["HOSTNAME=img", "PATH"], [], "pod")).to.deep.equal(["HOSTNAME=img"]);
  });

  it("accepts values as Buffers or strings, empty ones included", () => {
    expect(
      processEnv([], [kv("EMPTY", ""), { key: "S", value: "str" as unknown as Buffer }], "p"),
    ).to.include.members(["EMPTY=", "S=str"]);
  });

  it("refuses invalid names and NUL bytes, naming the entry", () => {
    expect(() => processEnv([], [kv("", "x")], "p")).to.throw(/config\.envs\[0\]\.key/);
    expect(() => processEnv([], [kv("A", "1"), kv("B=C", "x")], "p")).to.throw(
      /config\.envs\[1\]\.key/,
    );
    expect(() => processEnv([], [kv("A", "a\0b")], "p")).to.throw(/config\.envs\[0\]\.value/);
  });
});

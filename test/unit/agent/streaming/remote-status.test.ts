import { expect } from "chai";
import { errorChannelPayload } from "../../../../agent/streaming/remote-status.js";

const v4 = 4;
const v1 = 1;
const json = (b: Buffer | undefined) => JSON.parse(b!.toString()) as Record<string, unknown>;

describe("remote command outcome on the error channel", () => {
  it("reports exit 0 as Success", () => {
    expect(json(errorChannelPayload(v4, { exitCode: 0 }))).to.deep.equal({
      metadata: {},
      status: "Success",
    });
  });

  it("reports a non-zero exit as NonZeroExitCode with the code as its ExitCode cause", () => {
    const status = json(errorChannelPayload(v4, { exitCode: 127 }));
    expect(status).to.deep.include({ status: "Failure", reason: "NonZeroExitCode" });
    expect(status.details).to.deep.equal({ causes: [{ reason: "ExitCode", message: "127" }] });
  });

  it("reports a command that could not run as an InternalError", () => {
    const status = json(errorChannelPayload(v4, { error: "no such container" }));
    expect(status).to.deep.include({ reason: "InternalError", code: 500 });
    expect(status.message).to.match(/no such container/);
  });

  it("sends v1 clients only a failure's message", () => {
    expect(errorChannelPayload(v1, { exitCode: 0 })).to.equal(undefined);
    expect(errorChannelPayload(v1, { exitCode: 2 })?.toString()).to.match(/exit status 2/);
  });
});

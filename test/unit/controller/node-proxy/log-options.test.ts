import { expect } from "chai";
import { parsePodLogOptions } from "../../../../controller/api/node-proxy/log-options.js";
import { ApiError } from "../../../../controller/api/status.js";

const parse = (query: string) => parsePodLogOptions(new URLSearchParams(query), "web");

function failure(query: string): ApiError {
  try {
    parse(query);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error(`${query} was accepted`);
}

describe("pods/log options", () => {
  it("rebuilds the agent's query from the options kubectl sends", () => {
    const request = parse(
      "container=app&follow=true&tailLines=2&timestamps=true&limitBytes=100&previous=true&pretty=1",
    );
    expect(request.container).to.equal("app");
    expect(request.agentQuery.toString()).to.equal(
      "follow=true&previous=true&timestamps=true&tailLines=2&limitBytes=100",
    );
    expect(request.insecureSkipTlsVerify).to.equal(false);
  });

  it("reads flags as kube-apiserver does: present is true unless 0 or false", () => {
    expect(parse("follow").agentQuery.get("follow")).to.equal("true");
    expect(parse("follow=1&timestamps=yes").agentQuery.toString()).to.equal(
      "follow=true&timestamps=true",
    );
    expect(parse("follow=0&previous=False&timestamps=false").agentQuery.toString()).to.equal("");
    expect(parse("").container).to.equal("");
    expect(parse("insecureSkipTLSVerifyBackend=true").insecureSkipTlsVerify).to.equal(true);
  });

  it("passes sinceSeconds on, and sinceTime at whole seconds in UTC", () => {
    expect(parse("sinceSeconds=30").agentQuery.get("sinceSeconds")).to.equal("30");
    expect(parse("sinceTime=2025-03-04T05:06:07.891Z").agentQuery.get("sinceTime")).to.equal(
      "2025-03-04T05:06:07Z",
    );
    expect(parse("sinceTime=2025-03-04T07:06:07%2B02:00").agentQuery.get("sinceTime")).to.equal(
      "2025-03-04T05:06:07Z",
    );
    expect(parse("stream=Stderr").agentQuery.get("stream")).to.equal("Stderr");
    expect(parse("stream=All").agentQuery.has("stream")).to.equal(false);
  });

  it("answers out-of-range numbers with a 422 on PodLogOptions naming each field", () => {
    const err = failure("tailLines=-1&limitBytes=0");
    expect(err.code).to.equal(422);
    expect(err.reason).to.equal("Invalid");
    expect(err.message).to.equal(
      'PodLogOptions "web" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]',
    );
    expect(err.details?.kind).to.equal("PodLogOptions");
    expect(err.details?.causes?.map((c) => c.field)).to.deep.equal(["tailLines", "limitBytes"]);
    expect(failure("sinceSeconds=0").details?.causes).to.deep.equal([
      {
        reason: "FieldValueInvalid",
        message: "Invalid value: 0: must be greater than 0",
        field: "sinceSeconds",
      },
    ]);
    expect(failure("stream=Both").details?.causes?.[0]?.field).to.equal("stream");
  });

  it("refuses sinceSeconds together with sinceTime", () => {
    const err = failure("sinceSeconds=5&sinceTime=2025-01-01T00:00:00Z");
    expect(err.code).to.equal(422);
    expect(err.details?.causes).to.deep.equal([
      {
        reason: "FieldValueForbidden",
        message: "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified",
        field: "",
      },
    ]);
  });

  it("answers values that are not numbers or times with a 400 naming the parameter", () => {
    expect([failure("tailLines=ten").code, failure("tailLines=ten").message]).to.deep.equal([
      400,
      'tailLines: "ten" is not an integer',
    ]);
    expect(failure("limitBytes=1.5").message).to.equal('limitBytes: "1.5" is not an integer');
    expect(failure("sinceSeconds=99999999999999999999").message).to.match(/^sinceSeconds: /);
    expect(failure("sinceTime=yesterday").message).to.equal(
      'sinceTime: "yesterday" is not an RFC 3339 time',
    );
    expect(failure("sinceTime=2025-13-45T00:00:00Z").code).to.equal(400);
  });
});

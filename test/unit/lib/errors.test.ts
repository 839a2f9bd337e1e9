import { expect } from "chai";
import {
  asBerthError,
  BerthError,
  invalidArgument,
  isBerthError,
  notFound,
} from "../../../lib/errors.js";

describe("lib/errors", () => {
  it("maps each kind to its gRPC code and HTTP status", () => {
    expect(invalidArgument("x").grpcCode).to.equal(3);
    expect(invalidArgument("x").httpStatus).to.equal(422);
    expect(notFound("x").grpcCode).to.equal(5);
    expect(notFound("x").httpReason).to.equal("NotFound");
  });

  it("keeps the field an error is about", () => {
    const err = invalidArgument("metadata.name must be set", { field: "metadata.name" });
    expect(err.field).to.equal("metadata.name");
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect(isBerthError(err, "NotFound")).to.equal(false);
  });

  it("turns unknown failures into Internal errors that keep their cause", () => {
    const cause = new TypeError("boom");
    const err = asBerthError(cause);
    expect(err).to.be.instanceOf(BerthError);
    expect(err.kind).to.equal("Internal");
    expect(err.message).to.equal("boom");
    expect(err.cause).to.equal(cause);
  });
});

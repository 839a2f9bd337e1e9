import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { expect } from "chai";
import { BerthError } from "../../../../lib/errors.js";
import {
  fromGrpcError,
  isEndpointFailure,
  isTransientStreamEnd,
  wasNeverSent,
} from "../../../../controller/storage/etcd-errors.js";
import { CompactedError } from "../../../../controller/storage/store.js";

function grpcError(code: number, details: string): ServiceError {
  return Object.assign(new Error(`${code} ${details}`), {
    code,
    details,
    metadata: new Metadata(),
  });
}

const context = { endpoint: "http://127.0.0.1:2379", what: "get /registry/pods/a" };

describe("controller/storage etcd error mapping", () => {
  it("maps Unavailable to Unavailable naming the endpoint and the operation", () => {
    const err = fromGrpcError(grpcError(status.UNAVAILABLE, "connect ECONNREFUSED"), context);
    expect(err).to.be.instanceOf(BerthError);
    expect(err).to.have.property("kind", "Unavailable");
    expect(err.message).to.include("http://127.0.0.1:2379");
    expect(err.message).to.include("get /registry/pods/a");
    expect(err.message).to.include("ECONNREFUSED");
  });

  it("maps a read at a compacted revision to CompactedError with the requested revision", () => {
    const err = fromGrpcError(
      grpcError(status.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"),
      { ...context, revision: 12 },
    );
    expect(err).to.be.instanceOf(CompactedError);
    expect(err).to.have.property("requested", 12);
  });

  it("maps a read at a future revision to InvalidArgument on the revision field", () => {
    const err = fromGrpcError(
      grpcError(status.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"),
      { ...context, revision: 999 },
    );
    expect(err).to.have.property("kind", "InvalidArgument");
    expect(err).to.have.property("field", "revision");
    expect(err.message).to.include("999");
  });

  it("keeps the meaning of other codes", () => {
    const kinds: [number, string][] = [
      [status.DEADLINE_EXCEEDED, "DeadlineExceeded"],
      [status.INVALID_ARGUMENT, "InvalidArgument"],
      [status.PERMISSION_DENIED, "PermissionDenied"],
      [status.UNAUTHENTICATED, "Unauthenticated"],
      [status.FAILED_PRECONDITION, "FailedPrecondition"],
      [status.RESOURCE_EXHAUSTED, "Unavailable"],
      [status.CANCELLED, "Unavailable"],
      [status.DATA_LOSS, "Internal"],
      [status.UNKNOWN, "Internal"],
    ];
    for (const [code, kind] of kinds) {
      expect(fromGrpcError(grpcError(code, "x"), context), `code ${code}`).to.have.property(
        "kind",
        kind,
      );
    }
  });

  it("turns a non-gRPC failure into Internal keeping its message", () => {
    const err = fromGrpcError(new TypeError("boom"), context);
    expect(err).to.have.property("kind", "Internal");
    expect(err.message).to.equal("boom");
  });

  it("tries another endpoint only on connection trouble", () => {
    expect(isEndpointFailure(grpcError(status.UNAVAILABLE, "x"))).to.equal(true);
    expect(isEndpointFailure(grpcError(status.DEADLINE_EXCEEDED, "x"))).to.equal(true);
    expect(isEndpointFailure(grpcError(status.INVALID_ARGUMENT, "x"))).to.equal(false);
    expect(isEndpointFailure(new Error("x"))).to.equal(false);
  });

  it("resends a write only when it never left the process", () => {
    const unsent = "No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1";
    expect(wasNeverSent(grpcError(status.UNAVAILABLE, unsent))).to.equal(true);
    expect(wasNeverSent(grpcError(status.UNAVAILABLE, "Connection dropped"))).to.equal(false);
    expect(wasNeverSent(grpcError(status.DEADLINE_EXCEEDED, unsent))).to.equal(false);
  });

  it("reopens a watch stream after connection trouble but not after a rejection", () => {
    for (const code of [status.OK, status.UNAVAILABLE, status.CANCELLED, status.INTERNAL]) {
      expect(isTransientStreamEnd(code), `code ${code}`).to.equal(true);
    }
    for (const code of [status.INVALID_ARGUMENT, status.PERMISSION_DENIED, status.UNIMPLEMENTED]) {
      expect(isTransientStreamEnd(code), `code ${code}`).to.equal(false);
    }
  });
});

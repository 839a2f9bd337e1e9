import { expect } from "chai";
import { electionSettings } from "../../../../controller/leader/election-options.js";
import { leaderIdentity } from "../../../../controller/leader/leader-election.js";
import type { LeaderElectionOptions } from "../../../../controller/leader/leader-election.js";
import { silentLogger } from "../../../../lib/logger.js";

const logger = silentLogger();
const valid = { endpoints: ["http://127.0.0.1:2379"], logger, identity: "me" };

function fieldOf(options: unknown): string | undefined {
  try {
    electionSettings(options as LeaderElectionOptions);
  } catch (err) {
    return (err as { field?: string }).field;
  }
  expect.fail("no error thrown");
}

describe("controller/leader election options", () => {
  it("defaults the key and the lease TTL", () => {
    const settings = electionSettings(valid);
    expect(settings).to.include({
      key: "/berth/leader/controller",
      leaseSeconds: 15,
      identity: "me",
    });
    expect(settings.endpoints.map((e) => e.target)).to.deep.equal(["127.0.0.1:2379"]);
  });

  it("names the field of a bad option", () => {
    expect(fieldOf(undefined)).to.equal("options");
    expect(fieldOf({ ...valid, identity: "" })).to.equal("identity");
    expect(fieldOf({ ...valid, identity: 7 })).to.equal("identity");
    expect(fieldOf({ ...valid, logger: undefined })).to.equal("logger");
    expect(fieldOf({ ...valid, endpoints: [] })).to.equal("endpoints");
    expect(fieldOf({ ...valid, endpoints: ["nope"] })).to.equal("endpoints[0]");
    expect(fieldOf({ ...valid, key: "" })).to.equal("key");
    expect(fieldOf({ ...valid, leaseSeconds: 0 })).to.equal("leaseSeconds");
    expect(fieldOf({ ...valid, leaseSeconds: 2.5 })).to.equal("leaseSeconds");
    expect(fieldOf({ ...valid, leaseSeconds: "15" })).to.equal("leaseSeconds");
    expect(fieldOf({ ...valid, leaseSeconds: 3601 })).to.equal("leaseSeconds");
  });

  it("makes identities that tell processes and restarts apart", () => {
    const a = leaderIdentity();
    const b = leaderIdentity();
    expect(a).to.match(new RegExp(`_${process.pid}_[0-9a-f]{8}$`));
    expect(a).to.not.equal(b);
  });
});

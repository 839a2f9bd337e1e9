import { expect } from "chai";
import { LeaseDeadline } from "../../../../controller/leader/lease-deadline.js";
import { Leadership } from "../../../../controller/leader/leadership.js";
import { silentLogger } from "../../../../lib/logger.js";
import { FakeClock } from "./fake-clock.js";

function setup() {
  const clock = new FakeClock();
  const leadership = new Leadership({
    identity: "me",
    key: "/k",
    clock,
    logger: silentLogger(),
  });
  const changes: boolean[] = [];
  leadership.onChange((leading) => changes.push(leading));
  const deadline = new LeaseDeadline();
  deadline.confirmed(clock.now(), 2);
  return { clock, leadership, changes, deadline };
}

describe("controller/leader leadership", () => {
  it("leads and steps down, telling listeners only of changes", () => {
    const { leadership, changes, deadline } = setup();
    expect(leadership.lead(deadline, "1")).to.equal(true);
    leadership.lead(deadline, "1");
    expect(leadership.isLeader()).to.equal(true);
    expect(leadership.leader()).to.equal("me");
    leadership.stepDown("test");
    leadership.stepDown("test");
    expect(leadership.isLeader()).to.equal(false);
    expect(changes).to.deep.equal([true, false]);
  });

  it("is not leader past the lease deadline even before anyone steps down", () => {
    const { clock, leadership, deadline, changes } = setup();
    leadership.lead(deadline, "1");
    clock.jump(deadline.stepDownAt - clock.now());
    expect(leadership.isLeader()).to.equal(false);
    leadership.stepDown("lease lost");
    expect(changes).to.deep.equal([true, false]);
  });

  it("refuses to lead on a deadline that has passed", () => {
    const { clock, leadership, deadline, changes } = setup();
    clock.jump(5000);
    expect(leadership.lead(deadline, "1")).to.equal(false);
    expect(leadership.isLeader()).to.equal(false);
    expect(changes).to.deep.equal([]);
  });

  it("steps down when another candidate holds the key and reports it as leader", () => {
    const { leadership, deadline, changes } = setup();
    leadership.lead(deadline, "1");
    leadership.follow("other", "other holds the key");
    expect(leadership.isLeader()).to.equal(false);
    expect(leadership.leader()).to.equal("other");
    leadership.follow(undefined, "key deleted");
    expect(leadership.leader()).to.equal(undefined);
    expect(changes).to.deep.equal([true, false]);
  });

  it("keeps telling the other listeners when one throws", () => {
    const { leadership, deadline, changes } = setup();
    const seen: boolean[] = [];
    leadership.onChange(() => {
      throw new Error("boom");
    });
    leadership.onChange((leading) => seen.push(leading));
    leadership.lead(deadline, "1");
    expect(changes).to.deep.equal([true]);
    expect(seen).to.deep.equal([true]);
  });
});

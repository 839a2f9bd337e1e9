import { expect } from "chai";
import { LeaseDeadline } from "../../../../controller/leader/lease-deadline.js";
import { LeaseKeeper, type KeepAliveHandlers } from "../../../../controller/leader/lease-keeper.js";
import { silentLogger } from "../../../../lib/logger.js";
import { FakeClock } from "./fake-clock.js";

/** Keep-alive streams the test answers and breaks by hand. */
class FakeStreams {
  readonly opened: { handlers: KeepAliveHandlers; renewals: number; closed: boolean }[] = [];

  open = (handlers: KeepAliveHandlers) => {
    const stream = { handlers, renewals: 0, closed: false };
    this.opened.push(stream);
    return {
      renew: () => void stream.renewals++,
      close: () => void (stream.closed = true),
    };
  };

  get current() {
    return this.opened[this.opened.length - 1];
  }

  answer(ttl: number, stream = this.current) {
    stream.handlers.answered({
      header: { cluster_id: "1", member_id: "1", revision: "1", raft_term: "1" },
      ID: "7",
      TTL: String(ttl),
    });
  }
}

function setup(ttlSeconds = 3) {
  const clock = new FakeClock();
  const streams = new FakeStreams();
  const deadline = new LeaseDeadline();
  const lost: string[] = [];
  const lostAt: number[] = [];
  let renewed = 0;
  deadline.confirmed(clock.now(), ttlSeconds);
  const keeper = new LeaseKeeper({
    leaseId: "7",
    ttlSeconds,
    deadline,
    clock,
    open: streams.open,
    logger: silentLogger(),
    onRenewed: () => renewed++,
    onLost: (reason) => {
      lost.push(reason);
      lostAt.push(clock.now());
    },
  });
  keeper.start();
  return { clock, streams, deadline, lost, lostAt, keeper, renewed: () => renewed };
}

describe("controller/leader lease keeper", () => {
  it("renews every TTL/3 and counts each renewal from its send time", () => {
    const { clock, streams, deadline, renewed } = setup(3);
    const granted = clock.now();
    expect(streams.current.renewals).to.equal(0);
    clock.advance(1000);
    expect(streams.current.renewals).to.equal(1);
    clock.advance(250);
    streams.answer(3);
    expect(renewed()).to.equal(1);
    expect(deadline.expiresAt).to.equal(granted + 1000 + 3000);
    clock.advance(750);
    expect(streams.current.renewals).to.equal(2);
  });

  it("loses the lease at the step-down deadline when etcd stops answering", () => {
    const { clock, streams, deadline, lost, keeper } = setup(3);
    const stepDownAt = deadline.stepDownAt;
    clock.advance(stepDownAt - clock.now() - 1);
    expect(lost).to.deep.equal([]);
    clock.advance(1);
    expect(lost).to.have.length(1);
    expect(lost[0]).to.match(/not renewed within its 3 s TTL/);
    expect(clock.now()).to.be.below(deadline.expiresAt);
    expect(keeper.isStopped).to.equal(true);
    expect(streams.current.closed).to.equal(true);
    expect(clock.pendingTimers).to.equal(0);
  });

  it("keeps the lease for as long as renewals are answered", () => {
    const { clock, streams, lost } = setup(3);
    for (let i = 0; i < 30; i++) {
      clock.advance(1000);
      streams.answer(3);
    }
    expect(lost).to.deep.equal([]);
  });

  it("loses the lease at once when etcd answers TTL 0", () => {
    const { clock, streams, lost } = setup(3);
    clock.advance(1000);
    streams.answer(0);
    expect(lost).to.have.length(1);
    expect(lost[0]).to.match(/TTL 0/);
    expect(clock.pendingTimers).to.equal(0);
  });

  it("reopens a broken stream with a renewal at once, ignoring the old stream", () => {
    const { clock, streams, deadline } = setup(3);
    const first = streams.current;
    first.handlers.broken("connection reset");
    expect(first.closed).to.equal(true);
    clock.advance(100);
    expect(streams.opened).to.have.length(2);
    expect(streams.current.renewals).to.equal(1);
    const before = deadline.expiresAt;
    streams.answer(3, first);
    expect(deadline.expiresAt).to.equal(before);
    streams.answer(3);
    expect(deadline.expiresAt).to.equal(clock.now() + 3000);
  });

  it("backs off reopening up to 1 s, and still loses the lease at the deadline", () => {
    const { clock, streams, lostAt, deadline } = setup(3);
    const stepDownAt = deadline.stepDownAt;
    const opens: number[] = [];
    while (lostAt.length === 0) {
      streams.current.handlers.broken("etcd down");
      const before = streams.opened.length;
      while (streams.opened.length === before && lostAt.length === 0) clock.advance(10);
      if (streams.opened.length > before) opens.push(clock.now());
    }
    const gaps = opens.slice(1).map((t, i) => t - opens[i]);
    expect(gaps).to.deep.equal([200, 400, 800, 1000]);
    expect(lostAt).to.deep.equal([stepDownAt]);
  });

  it("does not let an answer nobody asked for extend the lease", () => {
    const { streams, deadline } = setup(3);
    const before = deadline.expiresAt;
    streams.answer(3);
    expect(deadline.expiresAt).to.equal(before);
  });

  it("does not revive the lease with an answer that arrives after the deadline", () => {
    const { clock, streams, lost } = setup(3);
    clock.advance(1000);
    // The event loop is blocked past the step-down time, then the answer is read first.
    clock.jump(3000);
    streams.answer(3);
    clock.advance(0);
    expect(lost).to.have.length(1);
  });

  it("stop() closes the stream and leaves no timer behind", () => {
    const { clock, streams, keeper, lost } = setup(3);
    keeper.stop();
    expect(streams.current.closed).to.equal(true);
    expect(clock.pendingTimers).to.equal(0);
    clock.advance(10_000);
    expect(lost).to.deep.equal([]);
  });
});

import { expect } from "chai";
import type { PullProgress } from "../../../../agent/registry/registry-api.js";
import {
  PlainPullProgress,
  PullBoard,
  TtyPullProgress,
} from "../../../../cli/commands/image-pull-progress.js";

const a = `sha256:${"a".repeat(64)}`;
const b = `sha256:${"b".repeat(64)}`;

const pull: PullProgress[] = [
  {
    kind: "resolved",
    reference: "127.0.0.1:5000/team/app:v1",
    manifest: `sha256:${"m".repeat(64)}`,
    layers: [
      { digest: a, size: 2_000_000 },
      { digest: b, size: 500 },
    ],
  },
  { kind: "layer-done", digest: b, cached: true },
  { kind: "layer", digest: a, received: 1_000_000, total: 2_000_000 },
  { kind: "layer", digest: a, received: 1_500_000, total: 2_000_000 },
  { kind: "layer", digest: a, received: 2_000_000, total: 2_000_000 },
  { kind: "layer-done", digest: a, cached: false },
  { kind: "unpacked", digest: a, index: 0, count: 2 },
  { kind: "unpacked", digest: b, index: 1, count: 2 },
  { kind: "done", imageId: `sha256:${"c".repeat(64)}` },
];

describe("pull progress", () => {
  it("tracks each layer through waiting, downloading, done or exists, and unpacked", () => {
    const board = new PullBoard();
    const states: string[] = [];
    for (const p of pull) {
      const changed = board.apply(p);
      if (changed) states.push(`${changed.digest.slice(7, 8)}:${changed.state}`);
      if (p.kind === "resolved") {
        expect(board.layers.map((l) => l.state)).to.deep.equal(["waiting", "waiting"]);
      }
    }
    expect(states).to.deep.equal([
      "b:exists",
      "a:downloading",
      "a:done",
      "a:unpacked",
      "b:unpacked",
    ]);
    expect(board.layers[0]).to.include({ received: 2_000_000, total: 2_000_000 });
  });

  it("writes plain lines, one per state change, with no escape sequences", () => {
    let out = "";
    const display = new PlainPullProgress((t) => (out += t));
    pull.forEach((p) => display.update(p));
    display.finish();
    expect(out).not.to.include("\x1b");
    expect(out.split("\n").filter(Boolean)).to.deep.equal([
      `127.0.0.1:5000/team/app:v1: resolved sha256:${"m".repeat(64)}, 2 layers, 2.0 MB`,
      "bbbbbbbbbbbb: exists 500 B",
      "aaaaaaaaaaaa: downloading 2.0 MB",
      "aaaaaaaaaaaa: done 2.0 MB",
      "aaaaaaaaaaaa: unpacked (1/2)",
      "bbbbbbbbbbbb: unpacked (2/2)",
    ]);
  });

  it("redraws the layer lines in place on a terminal, throttling byte updates", () => {
    const writes: string[] = [];
    let now = 0;
    const display = new TtyPullProgress((t) => writes.push(t), { intervalMs: 100, now: () => now });
    display.update(pull[0]); // resolved: first draw, nothing to move over
    expect(writes[0]).to.not.include("\x1b[2A");
    expect(writes[0].split("\x1b[2K")).to.have.length(3);
    expect(writes[0]).to.include("aaaaaaaaaaaa: waiting");

    display.update(pull[2]); // a starts downloading: a state change draws at once
    const drawn = writes.length;
    now = 50;
    display.update(pull[3]); // bytes only, 50 ms later: throttled
    expect(writes.length).to.equal(drawn);
    now = 150;
    display.update(pull[4]); // bytes only, 150 ms later: drawn
    expect(writes.length).to.equal(drawn + 1);
    const last = writes[writes.length - 1];
    expect(last.startsWith("\x1b[2A")).to.equal(true); // cursor up over the two layer lines
    expect(last).to.match(/aaaaaaaaaaaa: downloading +\[=+\] 2\.0 MB\/2\.0 MB/);

    pull.slice(5).forEach((p) => display.update(p));
    display.finish();
    const final = writes[writes.length - 1];
    expect(final).to.include("aaaaaaaaaaaa: unpacked");
    expect(final).to.include("bbbbbbbbbbbb: unpacked");
  });

  it("draws a half-received layer as a half-full bar", () => {
    const writes: string[] = [];
    const display = new TtyPullProgress((t) => writes.push(t), { now: () => 0 });
    display.update(pull[0]);
    display.update(pull[2]);
    const line = writes[writes.length - 1].split("\n")[0];
    expect(line).to.include(`[${"=".repeat(15)}>${" ".repeat(14)}]`);
    expect(line).to.include("1.0 MB/2.0 MB");
  });
});

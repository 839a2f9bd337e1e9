import { scaleBytes } from "../byte-units.js";
import type { PullProgress } from "../../agent/registry/registry-api.js";

export type LayerState = "waiting" | "downloading" | "done" | "exists" | "unpacked";

export interface LayerLine {
  digest: string;
  total: number;
  received: number;
  state: LayerState;
}

/** What a pull has reported so far, one line per layer in manifest order. */
export class PullBoard {
  reference = "";
  readonly layers: LayerLine[] = [];

  /** Applies an event; answers the layer whose state it changed, if any. */
  apply(p: PullProgress): LayerLine | undefined {
    switch (p.kind) {
      case "resolved":
        this.reference = p.reference;
        for (const l of p.layers) this.layer(l.digest, l.size);
        return undefined;
      case "layer": {
        const line = this.layer(p.digest, p.total);
        line.received = p.received;
        line.total = p.total || line.total;
        return this.moveTo(line, "downloading");
      }
      case "layer-done": {
        const line = this.layer(p.digest);
        if (!p.cached) line.received = line.total;
        return this.moveTo(line, p.cached ? "exists" : "done");
      }
      case "unpacked":
        return this.moveTo(this.layer(p.digest), "unpacked");
      case "done":
        return undefined;
    }
  }

  private layer(digest: string, total = 0): LayerLine {
    let line = this.layers.find((l) => l.digest === digest);
    if (!line) {
      line = { digest, total, received: 0, state: "waiting" };
      this.layers.push(line);
    }
    return line;
  }

  private moveTo(line: LayerLine, state: LayerState): LayerLine | undefined {
    // Download events after a layer finished (late progress) never move it back.
    if (line.state === state || (state === "downloading" && line.state !== "waiting")) {
      return undefined;
    }
    line.state = state;
    return line;
  }
}

export interface ProgressDisplay {
  update(p: PullProgress): void;
  /** Draws the final state (a TTY display may have skipped the last updates). */
  finish(): void;
}

/** For logs and pipes: one line per layer state change, no escape sequences. */
export class PlainPullProgress implements ProgressDisplay {
  private readonly board = new PullBoard();

  constructor(private readonly write: (text: string) => void) {}

  update(p: PullProgress): void {
    if (p.kind === "resolved") {
      const bytes = p.layers.reduce((n, l) => n + l.size, 0);
      this.write(
        `${p.reference}: resolved ${p.manifest}, ${p.layers.length} layers, ${humanBytes(bytes)}\n`,
      );
    }
    const changed = this.board.apply(p);
    if (!changed) return;
    const detail =
      p.kind === "unpacked" ? ` (${p.index + 1}/${p.count})` : ` ${humanBytes(changed.total)}`;
    this.write(`${shortDigest(changed.digest)}: ${changed.state}${detail}\n`);
  }

  finish(): void {}
}

/** For a terminal: the layer lines redrawn in place (cursor up, clear line), at most every intervalMs. */
export class TtyPullProgress implements ProgressDisplay {
  private readonly board = new PullBoard();
  private drawnLines = 0;
  private lastDraw = -Infinity;

  constructor(
    private readonly write: (text: string) => void,
    private readonly options: { intervalMs?: number; now?: () => number } = {},
  ) {}

  update(p: PullProgress): void {
    const changed = this.board.apply(p) !== undefined || p.kind === "resolved";
    const now = (this.options.now ?? Date.now)();
    if (changed || now - this.lastDraw >= (this.options.intervalMs ?? 100)) {
      this.lastDraw = now;
      this.draw();
    }
  }

  finish(): void {
    this.draw();
  }

  private draw(): void {
    const lines = this.board.layers.map(renderLayer);
    let out = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A` : "";
    for (const line of lines) out += `\x1b[2K${line}\n`;
    this.drawnLines = lines.length;
    if (out !== "") this.write(out);
  }
}

function renderLayer(l: LayerLine): string {
  const state = l.state.padEnd(11);
  if (l.state === "downloading") {
    return `${shortDigest(l.digest)}: ${state} ${bar(l.received, l.total)} ${humanBytes(l.received)}/${humanBytes(l.total)}`;
  }
  return `${shortDigest(l.digest)}: ${state} ${humanBytes(l.total)}`;
}

function bar(received: number, total: number, width = 30): string {
  const filled = total > 0 ? Math.min(width, Math.floor((received / total) * width)) : 0;
  const arrow = filled < width ? ">" : "";
  return `[${"=".repeat(filled)}${arrow}${" ".repeat(width - filled - arrow.length)}]`;
}

export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, "").slice(0, 12);
}

export function humanBytes(bytes: number): string {
  const { value, unit } = scaleBytes(bytes);
  return `${value.toFixed(unit === "B" ? 0 : 1)} ${unit}`;
}

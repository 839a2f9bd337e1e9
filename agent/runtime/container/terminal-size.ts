/** A terminal's size in character cells, as Kubernetes' resize channel sends it. */
export interface TerminalSize {
  width: number;
  height: number;
}

/** The largest size a kernel winsize (two u16) holds. */
const maxCells = 0xffff;

/** True when `size` is a pair of whole numbers a winsize can hold. */
export function isTerminalSize(size: unknown): size is TerminalSize {
  if (typeof size !== "object" || size === null) return false;
  const { width, height } = size as Record<string, unknown>;
  const cells = (n: unknown) =>
    Number.isInteger(n) && (n as number) >= 0 && (n as number) <= maxCells;
  return cells(width) && cells(height);
}

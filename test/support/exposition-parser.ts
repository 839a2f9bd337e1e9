export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface ParsedExposition {
  samples: ParsedSample[];
  help: Map<string, string>;
  type: Map<string, string>;
}

/** A strict reader of the text format (escapes undone), for checking what the writer wrote. */
export function parseExposition(text: string): ParsedExposition {
  const out: ParsedExposition = { samples: [], help: new Map(), type: new Map() };
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      (meta[1] === "HELP" ? out.help : out.type).set(meta[2], meta[3]);
      continue;
    }
    const m = /^([a-zA-Z_:][\w:]*)/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    let rest = line.slice(m[1].length);
    const labels: Record<string, string> = {};
    if (rest.startsWith("{")) {
      rest = rest.slice(1);
      while (!rest.startsWith("}")) {
        const l = /^([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)",?/.exec(rest);
        if (!l) throw new Error(`bad label set in: ${line}`);
        labels[l[1]] = l[2].replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
        rest = rest.slice(l[0].length);
      }
      rest = rest.slice(1);
    }
    const [value, ts, extra] = rest.trim().split(" ");
    if (extra !== undefined) throw new Error(`trailing text in: ${line}`);
    out.samples.push({
      name: m[1],
      labels,
      value: Number(value),
      ...(ts === undefined ? {} : { timestampMs: Number(ts) }),
    });
  }
  return out;
}

/** The samples of `name` whose labels include `match`. */
export function find(
  parsed: ParsedExposition,
  name: string,
  match: Record<string, string> = {},
): ParsedSample[] {
  return parsed.samples.filter(
    (s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v),
  );
}

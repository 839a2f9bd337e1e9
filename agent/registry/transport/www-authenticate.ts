export interface Challenge {
  /** Lower-cased: "basic", "bearer"… */
  scheme: string;
  /** Parameter names lower-cased; values unquoted. */
  params: Record<string, string>;
}

/**
 * Parses a WWW-Authenticate header (RFC 7235): one or more challenges, each a scheme followed by
 * comma-separated `name=value` / `name="quoted value"` parameters, e.g.
 * `Bearer realm="https://auth/token",service="reg",scope="repository:a/b:pull,push"`.
 */
export function parseWwwAuthenticate(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let i = 0;
  const skip = (chars: string) => {
    while (i < header.length && chars.includes(header[i])) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < header.length && !' \t,="'.includes(header[i])) i++;
    return header.slice(start, i);
  };
  const quoted = (): string => {
    let value = "";
    i++; // opening quote
    while (i < header.length && header[i] !== '"') {
      if (header[i] === "\\" && i + 1 < header.length) i++;
      value += header[i++];
    }
    i++; // closing quote
    return value;
  };
  let current: Challenge | undefined;
  while (i < header.length) {
    skip(" \t,");
    if (i >= header.length) break;
    const name = token();
    if (name === "") {
      i++; // a stray character: step over it
      continue;
    }
    skip(" \t");
    if (header[i] === "=" && current) {
      i++;
      skip(" \t");
      const value = header[i] === '"' ? quoted() : token();
      current.params[name.toLowerCase()] = value;
    } else if (header[i] === "=" && !current) {
      i++; // a parameter before any scheme: ignore it
      if (header[i] === '"') quoted();
      else token();
    } else {
      current = { scheme: name.toLowerCase(), params: {} };
      challenges.push(current);
    }
  }
  return challenges;
}

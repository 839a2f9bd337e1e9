import { readFileSync, statSync } from "node:fs";
import { invalidArgument } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import type { UserInfo } from "./auth-api.js";
import { parseCsv } from "./csv-records.js";

/**
 * Kubernetes' static token file (--token-auth-file): one `token,user,uid[,"group1,group2"]` per
 * line. Returns token → user; the groups do not yet include system:authenticated.
 */
export function parseTokenFile(text: string, source: string): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  for (const { line, fields } of parseCsv(text, source)) {
    const fail = (why: string) =>
      invalidArgument(`${source}: line ${line}: ${why}`, { field: "tokenFile" });
    if (fields.length < 3) {
      throw fail(`want at least 3 columns (token, user name, user uid), found ${fields.length}`);
    }
    const [token, name, uid, groups] = fields;
    if (token === "") throw fail("the token is empty");
    if (name === "") throw fail("the user name is empty");
    if (tokens.has(token)) throw fail("the token is already used on an earlier line");
    tokens.set(token, {
      name,
      ...(uid !== "" ? { uid } : {}),
      groups: (groups ?? "")
        .split(",")
        .map((g) => g.trim())
        .filter((g) => g !== ""),
    });
  }
  return tokens;
}

export interface TokenSource {
  lookup(token: string): UserInfo | undefined;
}

/** How often at most the file's mtime is looked at: a stat per request would be waste. */
const recheckMs = 1000;

/**
 * The token file, read now (an unreadable or malformed file stops the start) and read again when
 * its mtime or size changes. A bad edit keeps the last good tokens and logs why.
 */
export function watchTokenFile(file: string, logger: Logger, now = Date.now): TokenSource {
  let stamp = fileStamp(file);
  let tokens = parseTokenFile(readFileSync(file, "utf8"), file);
  let checkedAt = now();
  const refresh = () => {
    checkedAt = now();
    let current: string;
    try {
      current = fileStamp(file);
    } catch (err) {
      logger.warn("token file unreadable; keeping the tokens read before", {
        file,
        error: (err as Error).message,
      });
      return;
    }
    if (current === stamp) return;
    // Even a failed load counts: retry on the next change, not every second with a warning.
    stamp = current;
    try {
      tokens = parseTokenFile(readFileSync(file, "utf8"), file);
      logger.info("token file reloaded", { file, users: tokens.size });
    } catch (err) {
      logger.warn("token file changed but does not load; keeping the tokens read before", {
        file,
        error: (err as Error).message,
      });
    }
  };
  return {
    lookup(token) {
      if (now() - checkedAt >= recheckMs) refresh();
      return tokens.get(token);
    },
  };
}

function fileStamp(file: string): string {
  try {
    const st = statSync(file);
    return `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch (err) {
    throw invalidArgument(`token file ${file}: ${(err as Error).message}`, { field: "tokenFile" });
  }
}

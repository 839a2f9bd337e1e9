import { badRequest } from "../status.js";

/** A list's `continue`: the snapshot revision and the key to resume at, opaque to clients. */
export interface ContinueToken {
  revision: number;
  start: string;
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 1, rv: token.revision, start: token.start })).toString(
    "base64url",
  );
}

export function decodeContinue(text: string, prefix: string): ContinueToken {
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw badRequest("continue key is not valid: not a token this server issued");
  }
  if (
    parsed.v !== 1 ||
    typeof parsed.rv !== "number" ||
    typeof parsed.start !== "string" ||
    !parsed.start.startsWith(prefix)
  ) {
    throw badRequest("continue key is not valid: it does not belong to this list");
  }
  return { revision: parsed.rv, start: parsed.start };
}

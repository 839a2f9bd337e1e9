import { badRequest } from "../status.js";

export type FieldMatcher = (fields: Record<string, string>) => boolean;

interface FieldRequirement {
  key: string;
  value: string;
  equal: boolean;
}

/**
 * Kubernetes' field selector: `k=v`, `k==v`, `k!=v`, comma-joined; only the field labels the kind
 * supports (400 `field label not supported: …` otherwise). `\,` `\=` `\\` escape in values.
 */
export function parseFieldSelector(
  text: string | null | undefined,
  supported: ReadonlySet<string>,
): FieldMatcher {
  const requirements = splitEscaped(text ?? "", ",")
    .filter((p) => p.trim() !== "")
    .map((part) => parseFieldRequirement(part, supported));
  return (fields) => requirements.every((r) => ((fields[r.key] ?? "") === r.value) === r.equal);
}

function parseFieldRequirement(part: string, supported: ReadonlySet<string>): FieldRequirement {
  const m = /^([^=!]+)(==|=|!=)(.*)$/s.exec(part.trim());
  if (!m) throw badRequest(`invalid field selector: "${part}": expected key=value or key!=value`);
  const key = m[1].trim();
  if (!supported.has(key)) {
    throw badRequest(`field label not supported: ${key}`);
  }
  return { key, value: unescape(m[3]), equal: m[2] !== "!=" };
}

function splitEscaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\" && i + 1 < text.length) {
      current += text[i] + text[i + 1];
      i++;
    } else if (text[i] === separator) {
      parts.push(current);
      current = "";
    } else {
      current += text[i];
    }
  }
  parts.push(current);
  return parts;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, "$1");
}

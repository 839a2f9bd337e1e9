import { badRequest } from "../status.js";

export type Labels = Record<string, string> | undefined;
export type LabelMatcher = (labels: Labels) => boolean;

type Requirement =
  | { op: "=" | "!="; key: string; value: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "!"; key: string };

/**
 * Kubernetes' label selector syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`,
 * `!a`, comma-joined (all must hold). An empty selector matches everything.
 */
export function parseLabelSelector(text: string | null | undefined): LabelMatcher {
  const requirements = splitTopLevel(text ?? "").map(parseRequirement);
  return (labels) => requirements.every((r) => matches(r, labels ?? {}));
}

function matches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.op) {
    case "=":
      return has && labels[r.key] === r.value;
    case "!=":
      return !has || labels[r.key] !== r.value;
    case "in":
      return has && r.values.includes(labels[r.key]);
    case "notin":
      return !has || !r.values.includes(labels[r.key]);
    case "exists":
      return has;
    case "!":
      return !has;
  }
}

/** Splits on commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

const keyPattern = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function parseRequirement(text: string): Requirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (setMatch) {
    const values = setMatch[3].split(",").map((v) => v.trim());
    values.forEach((v) => checkValue(v, text));
    return { op: setMatch[2] as "in" | "notin", key: checkKey(setMatch[1], text), values };
  }
  const opMatch = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(text);
  if (opMatch) {
    const op = opMatch[2] === "!=" ? "!=" : "=";
    return { op, key: checkKey(opMatch[1], text), value: checkValue(opMatch[3].trim(), text) };
  }
  if (text.startsWith("!")) return { op: "!", key: checkKey(text.slice(1).trim(), text) };
  return { op: "exists", key: checkKey(text, text) };
}

function checkKey(key: string, text: string): string {
  if (!keyPattern.test(key) || key.split("/").pop()!.length > 63) {
    throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${text}"`);
  }
  return key;
}

function checkValue(value: string, text: string): string {
  if (!valuePattern.test(value) || value.length > 63) {
    throw badRequest(`unable to parse requirement: invalid label value "${value}" in "${text}"`);
  }
  return value;
}

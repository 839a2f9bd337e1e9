import { readFileSync } from "node:fs";
import { invalidArgument } from "../../lib/errors.js";

/** One ABAC rule, as Kubernetes' abac.authorization.kubernetes.io/v1beta1 PolicySpec. */
export interface AbacPolicy {
  /** 1-based line in the policy file, for logs. */
  line: number;
  user: string;
  group: string;
  readonly: boolean;
  apiGroup: string;
  resource: string;
  namespace: string;
  nonResourcePath: string;
}

const apiVersion = "abac.authorization.kubernetes.io/v1beta1";
const stringFields = [
  "user",
  "group",
  "apiGroup",
  "resource",
  "namespace",
  "nonResourcePath",
] as const;

export function loadAbacPolicyFile(file: string): AbacPolicy[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw invalidArgument(`policy file ${file}: ${(err as Error).message}`, {
      field: "policyFile",
    });
  }
  return parseAbacPolicies(text, file);
}

/** One JSON Policy object per line; blank lines and lines starting with # are skipped. */
export function parseAbacPolicies(text: string, source: string): AbacPolicy[] {
  const policies: AbacPolicy[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    policies.push(parsePolicyLine(trimmed, line, source));
  });
  return policies;
}

function parsePolicyLine(text: string, line: number, source: string): AbacPolicy {
  const fail = (why: string) =>
    invalidArgument(`${source}: line ${line}: ${why}`, { field: "policyFile" });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw fail(`not a JSON object: ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw fail("not a JSON object");
  if (doc.apiVersion !== apiVersion) {
    throw fail(`apiVersion must be "${apiVersion}", got ${JSON.stringify(doc.apiVersion)}`);
  }
  if (doc.kind !== "Policy") throw fail(`kind must be "Policy", got ${JSON.stringify(doc.kind)}`);
  const spec = doc.spec;
  if (!isObject(spec)) throw fail("spec must be an object");
  const policy: AbacPolicy = {
    line,
    user: "",
    group: "",
    readonly: false,
    apiGroup: "",
    resource: "",
    namespace: "",
    nonResourcePath: "",
  };
  for (const [key, value] of Object.entries(spec)) {
    if (key === "readonly") {
      if (typeof value !== "boolean") throw fail(`spec.readonly must be true or false`);
      policy.readonly = value;
    } else if ((stringFields as readonly string[]).includes(key)) {
      if (typeof value !== "string") throw fail(`spec.${key} must be a string`);
      policy[key as (typeof stringFields)[number]] = value;
    } else {
      throw fail(`unknown field spec.${key} (known: ${[...stringFields, "readonly"].join(", ")})`);
    }
  }
  if (policy.user === "" && policy.group === "") throw fail("spec.user or spec.group is required");
  return policy;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

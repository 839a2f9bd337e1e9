import { silentLogger, type Logger } from "../../lib/logger.js";
import type { AuthorizationLookups, Authorizer, Decision } from "./auth-api.js";
import { abacAllows } from "./abac-match.js";
import { loadAbacPolicyFile, type AbacPolicy } from "./abac-policy.js";
import { authorizeNode } from "./node-authorizer.js";
import { mastersGroup } from "./well-known.js";

export interface AuthorizerOptions {
  /** Kubernetes' ABAC policy file (one JSON Policy per line). */
  policyFile?: string;
  lookups: AuthorizationLookups;
  logger?: Logger;
}

/**
 * system:masters → allowed; node identities → the node rules; then the ABAC policy; else denied.
 * As in Kubernetes' authorizer chain, a node rule's refusal is "no opinion": the policy file may
 * still grant a node more, and the refusal's reason ends up in the 403 when it does not.
 * Throws at creation when the policy file cannot be loaded (naming the bad line).
 */
export function createAuthorizer(options: AuthorizerOptions): Authorizer {
  const policies: AbacPolicy[] | undefined =
    options.policyFile === undefined ? undefined : loadAbacPolicyFile(options.policyFile);
  const logger = options.logger ?? silentLogger();
  if (policies)
    logger.info("loaded the ABAC policy", { file: options.policyFile, policies: policies.length });
  return {
    async authorize(attributes): Promise<Decision> {
      if (attributes.user.groups.includes(mastersGroup)) return { allowed: true, reason: "" };
      const node = await authorizeNode(attributes, options.lookups);
      if (node?.allowed) return node;
      if (policies && abacAllows(policies, attributes)) return { allowed: true, reason: "" };
      return { allowed: false, reason: node?.reason ?? (policies ? "No policy matched." : "") };
    },
  };
}

import { CniError, cniCode } from "../spec/errors.js";

const containerIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ifnamePattern = /^[^/\s:]{1,15}$/;

export interface AttachmentFields {
  containerId: string;
  ifname: string;
  netns?: string;
  args?: Record<string, string>;
}

/** Rejects parameters no plugin could be called with, naming the field. */
export function validateAttachment(a: AttachmentFields, needsNetns: boolean): void {
  const bad = (field: string, value: unknown) =>
    new CniError(cniCode.invalidEnv, `invalid ${field}`, JSON.stringify(value));
  if (typeof a.containerId !== "string" || !containerIdPattern.test(a.containerId)) {
    throw bad("containerId", a.containerId);
  }
  if (typeof a.ifname !== "string" || !ifnamePattern.test(a.ifname) || /^\.\.?$/.test(a.ifname)) {
    throw bad("ifname", a.ifname);
  }
  if (needsNetns && (typeof a.netns !== "string" || a.netns === "")) throw bad("netns", a.netns);
  for (const [key, value] of Object.entries(a.args ?? {})) {
    if (!/^[^=;]+$/.test(key) || typeof value !== "string" || value.includes(";")) {
      throw bad(`args.${key}`, value);
    }
  }
}

import type { ResourceType } from "../resources/resource-type.js";

/** The kinds this server serves, looked up the ways URLs and bodies name them. */
export class ResourceRegistry {
  constructor(readonly types: ResourceType[]) {}

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find(
      (t) => t.group === group && t.version === version && t.plural === plural,
    );
  }

  /** The groups in discovery order: core first, then named groups in registration order. */
  groups(): { group: string; versions: string[] }[] {
    const out: { group: string; versions: string[] }[] = [];
    for (const t of this.types) {
      let entry = out.find((g) => g.group === t.group);
      if (!entry) out.push((entry = { group: t.group, versions: [] }));
      if (!entry.versions.includes(t.version)) entry.versions.push(t.version);
    }
    return out;
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.types.filter((t) => t.group === group && t.version === version);
  }
}

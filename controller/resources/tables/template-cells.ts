import { record, records, text } from "./json-fields.js";

/** The Containers and Images cells of a workload: names and images of spec.template's containers, comma-joined. */
export function templateContainerCells(workloadSpec: unknown): { names: string; images: string } {
  const containers = records(record(record(record(workloadSpec).template).spec).containers);
  return {
    names: containers.map((c) => text(c.name)).join(","),
    images: containers.map((c) => text(c.image)).join(","),
  };
}

import { invalidArgument } from "../../../lib/errors.js";
import type { Volume } from "../../kube/types.js";
import type { VolumeKind } from "./pod-paths.js";

const sourceKinds: VolumeKind[] = ["emptyDir", "hostPath", "configMap", "secret", "downwardAPI"];

/** The one source a volume has; anything else (PVCs, projected…) is refused with a clear error. */
export function volumeKind(volume: Volume, field: string): VolumeKind {
  const given = Object.keys(volume).filter(
    (k) => k !== "name" && (volume as unknown as Record<string, unknown>)[k] != null,
  );
  if (given.length === 0) return "emptyDir"; // the API's default source
  if (given.length > 1) {
    throw invalidArgument(`volume "${volume.name}" has more than one source: ${given.join(", ")}`, {
      field,
    });
  }
  const kind = given[0] as VolumeKind;
  if (!sourceKinds.includes(kind)) {
    throw invalidArgument(
      `volume "${volume.name}": ${given[0]} volumes are not supported (supported: ${sourceKinds.join(", ")})`,
      { field: `${field}.${given[0]}` },
    );
  }
  return kind;
}

import { BerthError, failedPrecondition, invalidArgument } from "../../../lib/errors.js";
import type { LinuxContainerResources__Output } from "../../../proto/gen/runtime/v1/LinuxContainerResources.js";
import { cgroupResourcesFromCri } from "../cgroups/cri-resources.js";
import { hostFacts, type HostFacts } from "../oci/host-facts.js";
import type { OciResources } from "../oci/oci-spec.js";
import { linuxResources } from "../oci/resources.js";
import type { ContainerRecord } from "../records.js";
import type { RuntimeDeps } from "../runtime-deps.js";
import { readBundleSpec, writeBundleSpec } from "./bundle-spec.js";
import { refreshContainer } from "./refresh-container.js";

const field = "linux";

/**
 * Applies new limits to a created or running container's cgroup with `runc update`, as
 * containerd does: fields left 0/"" keep their current value. The bundle's config.json is
 * updated first, so ContainerStatus and a recovery see the new limits, and is put back if runc
 * (or the kernel) refuses them.
 */
export async function updateContainerResources(
  deps: RuntimeDeps,
  record: ContainerRecord,
  linux: LinuxContainerResources__Output | null,
  host: HostFacts = hostFacts(),
): Promise<void> {
  cgroupResourcesFromCri(linux, field);
  const update = renamingField(() => linuxResources(linux, host));
  const current = await refreshContainer(deps, record);
  requireLive(current);
  const spec = await readBundleSpec(deps.paths, current.id);
  if (!spec) throw failedPrecondition(`container ${current.id} has no bundle`, { field });
  const previous = spec.linux.resources;
  const merged = mergeResources(previous, update);
  await writeBundleSpec(deps.paths, current.id, {
    ...spec,
    linux: { ...spec.linux, resources: merged },
  });
  try {
    await deps.runc.update(current.id, withoutDevices(merged));
  } catch (err) {
    await writeBundleSpec(deps.paths, current.id, spec);
    requireLive(await refreshContainer(deps, current));
    throw refused(err);
  }
}

/** The new fields over the current ones, field by field. */
export function mergeResources(
  current: OciResources,
  update: Omit<OciResources, "devices">,
): OciResources {
  return {
    ...current,
    ...(update.cpu ? { cpu: { ...current.cpu, ...update.cpu } } : {}),
    ...(update.memory ? { memory: { ...current.memory, ...update.memory } } : {}),
    ...(update.hugepageLimits ? { hugepageLimits: update.hugepageLimits } : {}),
    ...(update.unified ? { unified: { ...current.unified, ...update.unified } } : {}),
  };
}

/** runc update sets limits only; the device rules stay as the container was created with. */
function withoutDevices(r: OciResources): Omit<OciResources, "devices"> {
  const limits: Partial<OciResources> = { ...r };
  delete limits.devices;
  return limits;
}

function requireLive(c: ContainerRecord): void {
  if (c.state !== "created" && c.state !== "running") {
    const now = c.state === "exited" ? "has exited" : `is ${c.state}`;
    throw failedPrecondition(`container ${c.id} ${now}: its resources cannot change`, {
      field: "container_id",
    });
  }
}

/** linuxResources names fields as in CreateContainer (config.linux.resources.*); here they are linux.*. */
function renamingField<T>(fn: () => T): T {
  const prefix = "config.linux.resources";
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof BerthError) || !err.field?.startsWith(prefix)) throw err;
    throw new BerthError(err.kind, err.message.replaceAll(prefix, field), {
      field: err.field.replace(prefix, field),
    });
  }
}

/** The kernel's refusal of a value reaches us as runc's stderr. */
function refused(err: unknown): unknown {
  const message = err instanceof Error ? err.message : String(err);
  if (/invalid argument/i.test(message)) {
    return invalidArgument(`${field}: the kernel refused the new limits: ${message}`, { field });
  }
  if (/device or resource busy/i.test(message)) {
    return failedPrecondition(`${field}: the kernel cannot apply the new limits now: ${message}`, {
      field,
    });
  }
  return err;
}

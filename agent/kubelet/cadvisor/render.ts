import type { CgroupSample, ContainerLabels } from "./cgroup-sample.js";
import { containerFamilies } from "./container-families.js";
import { ExpositionWriter, labelSet } from "./exposition.js";
import type { MachineInfo } from "./machine-info.js";

type Pair = readonly [string, string];

const labelNames = ["container", "id", "image", "name", "namespace", "pod"] as const;

function basePairs(l: ContainerLabels): Pair[] {
  return labelNames.map((n) => [n, l[n]] as const);
}

/** The base pairs with one more label, kept in name order as client_golang writes them. */
function withExtra(pairs: Pair[], extra: Pair): Pair[] {
  const at = pairs.findIndex(([name]) => name > extra[0]);
  return at < 0 ? [...pairs, extra] : [...pairs.slice(0, at), extra, ...pairs.slice(at)];
}

/**
 * The text of /metrics/cadvisor: every container family over every sample (families in name
 * order, empty ones left out), then container_scrape_error and the machine families.
 */
export function renderCadvisor(
  samples: CgroupSample[],
  machine: MachineInfo | undefined,
  scrapeFailed: boolean,
): string {
  const w = new ExpositionWriter();
  const pairs = samples.map((s) => basePairs(s.labels));
  const bases = pairs.map((p) => labelSet(p));
  for (const f of containerFamilies) {
    let headed = false;
    samples.forEach((s, i) => {
      for (const v of f.values(s)) {
        if (!headed) w.family(f.name, f.help, f.type);
        headed = true;
        const labels =
          f.extraLabel === undefined
            ? bases[i]
            : labelSet(withExtra(pairs[i], [f.extraLabel, v.extra ?? ""]));
        w.sample(f.name, labels, v.value, f.timestamped ? s.timestampMs : undefined);
      }
    });
  }
  w.family(
    "container_scrape_error",
    "1 if there was an error while getting container metrics, 0 otherwise",
    "gauge",
  );
  w.sample("container_scrape_error", "", scrapeFailed ? 1 : 0);
  if (machine) {
    const labels = labelSet([
      ["boot_id", machine.bootId],
      ["machine_id", machine.machineId],
      ["system_uuid", machine.systemUuid],
    ]);
    w.family("machine_cpu_cores", "Number of logical CPU cores.", "gauge");
    w.sample("machine_cpu_cores", labels, machine.cpuCores);
    w.family("machine_memory_bytes", "Amount of memory installed on the machine.", "gauge");
    w.sample("machine_memory_bytes", labels, machine.memoryBytes);
  }
  return w.text();
}

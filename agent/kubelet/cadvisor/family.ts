import type { CgroupSample } from "./cgroup-sample.js";
import type { MetricType } from "./exposition.js";

/** One value of a family for one cgroup; `extra` is the value of the family's extra label. */
export interface FamilyValue {
  value: number;
  extra?: string;
}

/** A cAdvisor metric family: its name, HELP text and type exactly as cAdvisor registers them. */
export interface ContainerFamily {
  name: string;
  help: string;
  type: MetricType;
  /** Spec series carry no timestamp in cAdvisor; usage series carry the read time. */
  timestamped: boolean;
  extraLabel?: string;
  values(s: CgroupSample): FamilyValue[];
}

type Getter = (s: CgroupSample) => number | undefined;

const one = (value: number | undefined): FamilyValue[] => (value === undefined ? [] : [{ value }]);

/** ns → s, absent stays absent. */
export const seconds = (ns: number | undefined) => (ns === undefined ? undefined : ns / 1e9);

/** A usage family: one series per cgroup where the value could be read, stamped with the read time. */
export function usage(name: string, help: string, type: MetricType, get: Getter): ContainerFamily {
  return { name, help, type, timestamped: true, values: (s) => one(get(s)) };
}

/** A spec family: a gauge of a setting, without a timestamp. */
export function spec(name: string, help: string, get: Getter): ContainerFamily {
  return { name, help, type: "gauge", timestamped: false, values: (s) => one(get(s)) };
}

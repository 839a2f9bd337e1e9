// The parts of the OCI runtime spec (config.json, version 1.0.2 as runc 1.1 reads it) that Berth
// writes. Field names are the JSON ones. Absent optional fields mean "runtime default".

export const ociVersion = "1.0.2-dev";

export interface OciSpec {
  ociVersion: string;
  process: OciProcess;
  root: { path: string; readonly: boolean };
  hostname?: string;
  mounts: OciMount[];
  annotations: Record<string, string>;
  linux: OciLinux;
}

export interface OciProcess {
  terminal: boolean;
  user: OciUser;
  args: string[];
  env: string[];
  cwd: string;
  capabilities: OciCapabilities;
  rlimits?: OciRlimit[];
  noNewPrivileges: boolean;
  oomScoreAdj?: number;
  // apparmorProfile and selinuxLabel are never written: the hosts have neither (host.md).
}

export interface OciUser {
  uid: number;
  gid: number;
  additionalGids?: number[];
}

/** Capability names with the CAP_ prefix ("CAP_CHOWN"). */
export interface OciCapabilities {
  bounding: string[];
  effective: string[];
  inheritable: string[];
  permitted: string[];
  ambient: string[];
}

export interface OciRlimit {
  type: string;
  hard: number;
  soft: number;
}

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export type OciNamespaceType = "pid" | "network" | "mount" | "ipc" | "uts" | "user" | "cgroup";

export interface OciNamespace {
  type: OciNamespaceType;
  /** Join this namespace; absent creates a new one. */
  path?: string;
}

export interface OciLinux {
  namespaces: OciNamespace[];
  devices: OciDevice[];
  cgroupsPath: string;
  resources: OciResources;
  rootfsPropagation?: "rslave" | "rshared" | "rprivate";
  seccomp?: OciSeccomp;
  sysctl?: Record<string, string>;
  maskedPaths: string[];
  readonlyPaths: string[];
}

/** A device node runc creates in the container's /dev. */
export interface OciDevice {
  path: string;
  type: "c" | "b" | "u" | "p";
  major: number;
  minor: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

/** A device cgroup rule; absent type/major/minor mean "all". */
export interface OciDeviceRule {
  allow: boolean;
  type?: "a" | "c" | "b";
  major?: number;
  minor?: number;
  access?: string;
}

export interface OciResources {
  devices: OciDeviceRule[];
  memory?: { limit?: number; swap?: number };
  cpu?: { shares?: number; quota?: number; period?: number; cpus?: string; mems?: string };
  pids?: { limit: number };
  hugepageLimits?: { pageSize: string; limit: number }[];
  /** cgroup v2 files by name; runc refuses it on cgroup v1. */
  unified?: Record<string, string>;
}

export type SeccompAction =
  | "SCMP_ACT_KILL"
  | "SCMP_ACT_KILL_PROCESS"
  | "SCMP_ACT_KILL_THREAD"
  | "SCMP_ACT_TRAP"
  | "SCMP_ACT_ERRNO"
  | "SCMP_ACT_TRACE"
  | "SCMP_ACT_ALLOW"
  | "SCMP_ACT_LOG"
  | "SCMP_ACT_NOTIFY";

export type SeccompOperator =
  | "SCMP_CMP_NE"
  | "SCMP_CMP_LT"
  | "SCMP_CMP_LE"
  | "SCMP_CMP_EQ"
  | "SCMP_CMP_GE"
  | "SCMP_CMP_GT"
  | "SCMP_CMP_MASKED_EQ";

export interface OciSeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: SeccompOperator;
}

export interface OciSyscallRule {
  names: string[];
  action: SeccompAction;
  errnoRet?: number;
  args?: OciSeccompArg[];
}

export interface OciSeccomp {
  defaultAction: SeccompAction;
  defaultErrnoRet?: number;
  /** libseccomp names ("SCMP_ARCH_X86_64"); empty means the native one only. */
  architectures: string[];
  flags?: string[];
  listenerPath?: string;
  listenerMetadata?: string;
  syscalls: OciSyscallRule[];
}

export const seccompActions: readonly SeccompAction[] = [
  "SCMP_ACT_KILL",
  "SCMP_ACT_KILL_PROCESS",
  "SCMP_ACT_KILL_THREAD",
  "SCMP_ACT_TRAP",
  "SCMP_ACT_ERRNO",
  "SCMP_ACT_TRACE",
  "SCMP_ACT_ALLOW",
  "SCMP_ACT_LOG",
  "SCMP_ACT_NOTIFY",
];

export const seccompOperators: readonly SeccompOperator[] = [
  "SCMP_CMP_NE",
  "SCMP_CMP_LT",
  "SCMP_CMP_LE",
  "SCMP_CMP_EQ",
  "SCMP_CMP_GE",
  "SCMP_CMP_GT",
  "SCMP_CMP_MASKED_EQ",
];

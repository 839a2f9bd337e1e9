import { invalidArgument } from "../../../lib/errors.js";
import {
  seccompActions,
  seccompOperators,
  type OciSeccomp,
  type OciSeccompArg,
  type OciSyscallRule,
  type SeccompAction,
  type SeccompOperator,
} from "./oci-spec.js";
import {
  ruleApplies,
  seccompArchOf,
  type SeccompContext,
  type SeccompFilter,
} from "./seccomp-conditions.js";

const knownArches = new Set(
  [
    "X86",
    "X86_64",
    "X32",
    "ARM",
    "AARCH64",
    "MIPS",
    "MIPS64",
    "MIPS64N32",
    "MIPSEL",
    "MIPSEL64",
    "MIPSEL64N32",
    "PPC",
    "PPC64",
    "PPC64LE",
    "S390",
    "S390X",
    "PARISC",
    "PARISC64",
    "RISCV64",
  ].map((a) => `SCMP_ARCH_${a}`),
);
const knownFlags = new Set([
  "SECCOMP_FILTER_FLAG_TSYNC",
  "SECCOMP_FILTER_FLAG_LOG",
  "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
]);

type Json = Record<string, unknown>;

/**
 * A localhost seccomp profile as linux.seccomp. Accepts OCI's own shape and Docker's (the one
 * `docker run --security-opt seccomp=…` and the kubelet's localhost profiles use): `archMap` picks
 * the host's architecture family, `name` is an alias of `names`, and `includes`/`excludes`
 * (caps, arches, minKernel) are evaluated here against the container — then dropped, with the
 * `comment`s. Anything malformed is InvalidArgument naming the file and the entry.
 */
export function convertSeccompProfile(
  raw: unknown,
  ctx: SeccompContext,
  file: string,
  field: string,
): OciSeccomp {
  const bad = (where: string, why: string) =>
    invalidArgument(`${field}: seccomp profile ${file}: ${where}: ${why}`, { field });
  if (!isObject(raw)) throw bad("top level", "not a JSON object");

  const out: OciSeccomp = {
    defaultAction: action(raw.defaultAction, "defaultAction", bad),
    architectures: [],
    syscalls: [],
  };
  if (raw.defaultErrnoRet !== undefined && raw.defaultErrnoRet !== null) {
    out.defaultErrnoRet = nonNegativeInt(raw.defaultErrnoRet, "defaultErrnoRet", bad);
  }

  const architectures = stringList(raw.architectures, "architectures", bad);
  if (architectures.length > 0 && Array.isArray(raw.archMap) && raw.archMap.length > 0) {
    throw bad("architectures", "both architectures and archMap are given; use one");
  }
  out.architectures = architectures.length > 0 ? architectures : archFromMap(raw.archMap, ctx, bad);
  out.architectures.forEach((a, i) => {
    if (!knownArches.has(a))
      throw bad(`architectures[${i}]`, `${JSON.stringify(a)} is not a libseccomp architecture`);
  });

  const flags = stringList(raw.flags, "flags", bad);
  flags.forEach((f, i) => {
    if (!knownFlags.has(f))
      throw bad(`flags[${i}]`, `${JSON.stringify(f)} is not a seccomp filter flag`);
  });
  if (flags.length > 0) out.flags = flags;
  for (const key of ["listenerPath", "listenerMetadata"] as const) {
    const v = raw[key];
    if (v === undefined || v === null || v === "") continue;
    if (typeof v !== "string") throw bad(key, "not a string");
    out[key] = v;
  }

  if (raw.syscalls !== undefined && raw.syscalls !== null && !Array.isArray(raw.syscalls)) {
    throw bad("syscalls", "not a list");
  }
  ((raw.syscalls as unknown[] | null | undefined) ?? []).forEach((entry, i) => {
    const rule = syscallRule(entry, `syscalls[${i}]`, bad);
    if (rule && ruleApplies(ctx, rule.includes, rule.excludes)) out.syscalls.push(rule.rule);
  });
  return out;
}

type Bad = (where: string, why: string) => Error;

function syscallRule(
  entry: unknown,
  where: string,
  bad: Bad,
): { rule: OciSyscallRule; includes?: SeccompFilter; excludes?: SeccompFilter } {
  if (!isObject(entry)) throw bad(where, "not a JSON object");
  const names = stringList(entry.names, `${where}.names`, bad);
  if (typeof entry.name === "string" && entry.name !== "") {
    if (names.length > 0) throw bad(where, "both name and names are given; use one");
    names.push(entry.name);
  }
  if (names.length === 0) throw bad(`${where}.names`, "no syscall names");
  const rule: OciSyscallRule = { names, action: action(entry.action, `${where}.action`, bad) };
  if (entry.errnoRet !== undefined && entry.errnoRet !== null) {
    if (rule.action !== "SCMP_ACT_ERRNO" && rule.action !== "SCMP_ACT_TRACE") {
      throw bad(`${where}.errnoRet`, "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errnoRet");
    }
    rule.errnoRet = nonNegativeInt(entry.errnoRet, `${where}.errnoRet`, bad);
  }
  if (entry.args !== undefined && entry.args !== null) {
    if (!Array.isArray(entry.args)) throw bad(`${where}.args`, "not a list");
    const args = entry.args.map((a, j) => syscallArg(a, `${where}.args[${j}]`, bad));
    if (args.length > 0) rule.args = args;
  }
  return {
    rule,
    includes: filter(entry.includes, `${where}.includes`, bad),
    excludes: filter(entry.excludes, `${where}.excludes`, bad),
  };
}

function syscallArg(a: unknown, where: string, bad: Bad): OciSeccompArg {
  if (!isObject(a)) throw bad(where, "not a JSON object");
  const index = nonNegativeInt(a.index, `${where}.index`, bad);
  if (index > 5) throw bad(`${where}.index`, "syscalls have at most 6 arguments (0-5)");
  const op = a.op;
  if (typeof op !== "string" || !seccompOperators.includes(op as SeccompOperator)) {
    throw bad(`${where}.op`, `${JSON.stringify(op)} is not a seccomp comparison`);
  }
  const arg: OciSeccompArg = {
    index,
    value: nonNegativeInt(a.value, `${where}.value`, bad),
    op: op as SeccompOperator,
  };
  if (a.valueTwo !== undefined && a.valueTwo !== null)
    arg.valueTwo = nonNegativeInt(a.valueTwo, `${where}.valueTwo`, bad);
  return arg;
}

function filter(f: unknown, where: string, bad: Bad): SeccompFilter | undefined {
  if (f === undefined || f === null) return undefined;
  if (!isObject(f)) throw bad(where, "not a JSON object");
  const out: SeccompFilter = {};
  const caps = stringList(f.caps, `${where}.caps`, bad).map((c) => {
    const upper = c.toUpperCase();
    return upper.startsWith("CAP_") ? upper : `CAP_${upper}`;
  });
  if (caps.length > 0) out.caps = caps;
  const arches = stringList(f.arches, `${where}.arches`, bad);
  if (arches.length > 0) out.arches = arches;
  if (f.minKernel !== undefined && f.minKernel !== null && f.minKernel !== "") {
    const m = typeof f.minKernel === "string" ? /^(\d+)\.(\d+)$/.exec(f.minKernel) : null;
    if (!m)
      throw bad(`${where}.minKernel`, `${JSON.stringify(f.minKernel)} is not a version like "4.8"`);
    out.minKernel = [Number(m[1]), Number(m[2])];
  }
  return out;
}

function archFromMap(archMap: unknown, ctx: SeccompContext, bad: Bad): string[] {
  if (archMap === undefined || archMap === null) return [];
  if (!Array.isArray(archMap)) throw bad("archMap", "not a list");
  const native = seccompArchOf[ctx.arch];
  for (const [i, entry] of archMap.entries()) {
    if (!isObject(entry) || typeof entry.architecture !== "string") {
      throw bad(`archMap[${i}]`, "needs an architecture");
    }
    if (entry.architecture === native) {
      return [
        entry.architecture,
        ...stringList(entry.subArchitectures, `archMap[${i}].subArchitectures`, bad),
      ];
    }
  }
  return [];
}

function action(v: unknown, where: string, bad: Bad): SeccompAction {
  if (typeof v !== "string" || !seccompActions.includes(v as SeccompAction)) {
    throw bad(where, `${JSON.stringify(v)} is not a seccomp action`);
  }
  return v as SeccompAction;
}

function nonNegativeInt(v: unknown, where: string, bad: Bad): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw bad(where, `${JSON.stringify(v)} is not a non-negative integer`);
  }
  return v;
}

function stringList(v: unknown, where: string, bad: Bad): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== "string" || s === "")) {
    throw bad(where, "not a list of names");
  }
  return [...(v as string[])];
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// Berth's RuntimeDefault seccomp profile: an allowlist with the same effect as Docker's and
// containerd's default (everything else fails with EPERM), written as groups of syscalls by
// purpose, each group carrying the condition that unlocks it (a capability in the container's
// bounding set, a host architecture, a kernel version, or argument checks).

import type { OciSeccomp, OciSeccompArg, OciSyscallRule, SeccompAction } from "./oci-spec.js";
import {
  archFamilies,
  ruleApplies,
  type SeccompContext,
  type SeccompFilter,
} from "./seccomp-conditions.js";

export interface SyscallGroup {
  /** Why these are grouped; for readers. */
  about: string;
  names: string[];
  /** Default SCMP_ACT_ALLOW. */
  action?: SeccompAction;
  errnoRet?: number;
  args?: OciSeccompArg[];
  /** Only when all of these hold. */
  when?: SeccompFilter;
  /** Not when any of these holds. */
  unless?: SeccompFilter;
}

const EPERM = 1;
const ENOSYS = 38;
const AF_VSOCK = 40;
/** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET: creating namespaces. */
const cloneNamespaceFlags = 0x7e020000;

const plain = (about: string, names: string[]): SyscallGroup => ({ about, names });
const withCap = (cap: string, names: string[]): SyscallGroup => ({
  about: `needs ${cap}`,
  names,
  when: { caps: [cap] },
});
const onArch = (arches: string[], names: string[]): SyscallGroup => ({
  about: `${arches.join("/")} only`,
  names,
  when: { arches },
});
const arg0 = (value: number, op: OciSeccompArg["op"] = "SCMP_CMP_EQ"): OciSeccompArg[] => [
  { index: 0, value, op },
];

// prettier-ignore
export const defaultSyscallGroups: readonly SyscallGroup[] = [
  plain("process lifecycle and identity", [
    "exit", "exit_group", "fork", "vfork", "execve", "execveat", "wait4", "waitid", "waitpid",
    "getpid", "getppid", "gettid", "getpgid", "getpgrp", "setpgid", "getsid", "setsid",
    "set_tid_address", "set_robust_list", "get_robust_list", "restart_syscall", "rseq", "prctl",
    "get_thread_area", "set_thread_area", "capget", "capset", "seccomp", "uname", "sysinfo",
    "getcpu", "membarrier", "times", "getrusage", "getrlimit", "setrlimit", "prlimit64",
    "ugetrlimit", "getpriority", "setpriority", "ioprio_get", "ioprio_set", "kill", "tkill",
    "tgkill", "pidfd_open", "pidfd_send_signal", "process_mrelease", "getrandom",
    "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self",
  ]),
  plain("scheduling", [
    "sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getattr", "sched_setattr",
    "sched_getparam", "sched_setparam", "sched_getscheduler", "sched_setscheduler",
    "sched_get_priority_max", "sched_get_priority_min", "sched_rr_get_interval",
    "sched_rr_get_interval_time64",
  ]),
  plain("user and group ids (the 32 suffix is the 32-bit ABI)", [
    "getuid", "getuid32", "geteuid", "geteuid32", "getgid", "getgid32", "getegid", "getegid32",
    "getresuid", "getresuid32", "getresgid", "getresgid32", "getgroups", "getgroups32",
    "setuid", "setuid32", "setgid", "setgid32", "setreuid", "setreuid32", "setregid",
    "setregid32", "setresuid", "setresuid32", "setresgid", "setresgid32", "setgroups",
    "setgroups32", "setfsuid", "setfsuid32", "setfsgid", "setfsgid32",
  ]),
  plain("futexes", ["futex", "futex_time64", "futex_waitv", "futex_wait", "futex_wake", "futex_requeue"]),
  plain("signals", [
    "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn",
    "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo",
    "sigaltstack", "signalfd", "signalfd4", "sigprocmask", "sigreturn", "pause",
  ]),
  plain("clocks, sleeps and timers (reading clocks; adjtimex only reads without CAP_SYS_TIME)", [
    "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64", "clock_nanosleep",
    "clock_nanosleep_time64", "clock_adjtime", "clock_adjtime64", "adjtimex", "gettimeofday",
    "time", "nanosleep", "alarm", "getitimer", "setitimer", "timer_create", "timer_delete",
    "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64",
    "timerfd_create", "timerfd_gettime", "timerfd_gettime64", "timerfd_settime",
    "timerfd_settime64",
  ]),
  plain("memory", [
    "brk", "mmap", "mmap2", "munmap", "mprotect", "mremap", "madvise", "mincore", "msync",
    "mlock", "mlock2", "mlockall", "munlock", "munlockall", "remap_file_pages", "memfd_create",
    "memfd_secret", "pkey_alloc", "pkey_free", "pkey_mprotect", "map_shadow_stack", "cachestat",
  ]),
  plain("file descriptors and reading/writing", [
    "open", "openat", "openat2", "creat", "close", "close_range", "dup", "dup2", "dup3", "fcntl",
    "fcntl64", "flock", "read", "readv", "pread64", "preadv", "preadv2", "write", "writev",
    "pwrite64", "pwritev", "pwritev2", "lseek", "_llseek", "sendfile", "sendfile64", "splice",
    "tee", "vmsplice", "copy_file_range", "ioctl", "pipe", "pipe2", "fsync", "fdatasync",
    "sync", "syncfs", "sync_file_range", "fallocate", "fadvise64", "fadvise64_64", "readahead",
    "truncate", "truncate64", "ftruncate", "ftruncate64",
  ]),
  plain("paths, directories and metadata", [
    "access", "faccessat", "faccessat2", "chdir", "fchdir", "getcwd", "getdents", "getdents64",
    "mkdir", "mkdirat", "rmdir", "mknod", "mknodat", "link", "linkat", "symlink", "symlinkat",
    "readlink", "readlinkat", "unlink", "unlinkat", "rename", "renameat", "renameat2", "stat",
    "stat64", "lstat", "lstat64", "fstat", "fstat64", "fstatat64", "newfstatat", "statx",
    "statfs", "statfs64", "fstatfs", "fstatfs64", "chmod", "fchmod", "fchmodat", "fchmodat2",
    "chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32", "umask",
    "utime", "utimes", "utimensat", "utimensat_time64", "futimesat", "name_to_handle_at",
  ]),
  plain("extended attributes", [
    "getxattr", "lgetxattr", "fgetxattr", "setxattr", "lsetxattr", "fsetxattr", "listxattr",
    "llistxattr", "flistxattr", "removexattr", "lremovexattr", "fremovexattr",
  ]),
  plain("waiting for events", [
    "poll", "ppoll", "ppoll_time64", "select", "_newselect", "pselect6", "pselect6_time64",
    "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_wait",
    "epoll_wait_old", "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2", "inotify_init",
    "inotify_init1", "inotify_add_watch", "inotify_rm_watch", "fanotify_mark",
  ]),
  plain("asynchronous I/O", [
    "io_setup", "io_destroy", "io_submit", "io_cancel", "io_getevents", "io_pgetevents",
    "io_pgetevents_time64", "io_uring_setup", "io_uring_enter", "io_uring_register",
  ]),
  plain("System V and POSIX IPC", [
    "ipc", "msgget", "msgctl", "msgsnd", "msgrcv", "semget", "semctl", "semop", "semtimedop",
    "semtimedop_time64", "shmget", "shmctl", "shmat", "shmdt", "mq_open", "mq_unlink",
    "mq_getsetattr", "mq_notify", "mq_timedsend", "mq_timedsend_time64", "mq_timedreceive",
    "mq_timedreceive_time64",
  ]),
  plain("sockets (socket itself is below)", [
    "socketpair", "socketcall", "bind", "connect", "listen", "accept", "accept4", "shutdown",
    "getsockname", "getpeername", "getsockopt", "setsockopt", "send", "sendto", "sendmsg",
    "sendmmsg", "recv", "recvfrom", "recvmsg", "recvmmsg", "recvmmsg_time64",
  ]),
  {
    about: "sockets of any family but vsock, which reaches the hypervisor",
    names: ["socket"],
    args: arg0(AF_VSOCK, "SCMP_CMP_NE"),
  },
  ...[0x0, 0x8, 0x20000, 0x20008, 0xffffffff].map(
    (persona): SyscallGroup => ({
      about: "personality: only PER_LINUX, PER_LINUX32, UNAME26 (with either) and the query",
      names: ["personality"],
      args: arg0(persona),
    }),
  ),
  {
    about: "ptrace can bypass seccomp before 4.8",
    names: ["ptrace", "process_vm_readv", "process_vm_writev"],
    when: { minKernel: [4, 8] },
  },

  onArch(["amd64", "x32"], ["arch_prctl"]),
  onArch(["amd64", "x32", "386"], ["modify_ldt"]),
  onArch(["arm", "arm64"], [
    "arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush",
    "set_tls",
  ]),
  onArch(["ppc64le"], ["sync_file_range2", "swapcontext"]),
  onArch(["s390", "s390x"], ["s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr"]),
  onArch(["riscv64"], ["riscv_flush_icache"]),

  withCap("CAP_SYS_ADMIN", [
    "mount", "umount", "umount2", "mount_setattr", "move_mount", "open_tree", "fsopen",
    "fsconfig", "fsmount", "fspick", "unshare", "setns", "clone", "clone3", "sethostname",
    "setdomainname", "bpf", "perf_event_open", "fanotify_init", "lookup_dcookie", "quotactl",
    "quotactl_fd", "syslog",
  ]),
  {
    about: "without CAP_SYS_ADMIN, clone may not create namespaces",
    names: ["clone"],
    args: [{ index: 0, value: cloneNamespaceFlags, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ" }],
    unless: { caps: ["CAP_SYS_ADMIN"], arches: ["s390", "s390x"] },
  },
  {
    about: "without CAP_SYS_ADMIN, clone may not create namespaces (s390 swaps clone's arguments)",
    names: ["clone"],
    args: [{ index: 1, value: cloneNamespaceFlags, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ" }],
    when: { arches: ["s390", "s390x"] },
    unless: { caps: ["CAP_SYS_ADMIN"] },
  },
  {
    about: "clone3's flags are behind a pointer seccomp cannot read: ENOSYS makes libc fall back to clone",
    names: ["clone3"],
    action: "SCMP_ACT_ERRNO",
    errnoRet: ENOSYS,
    unless: { caps: ["CAP_SYS_ADMIN"] },
  },
  withCap("CAP_DAC_READ_SEARCH", ["open_by_handle_at"]),
  withCap("CAP_SYS_BOOT", ["reboot"]),
  withCap("CAP_SYS_CHROOT", ["chroot"]),
  withCap("CAP_SYS_MODULE", ["init_module", "finit_module", "delete_module"]),
  withCap("CAP_SYS_PACCT", ["acct"]),
  withCap("CAP_SYS_PTRACE", [
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd", "process_madvise",
  ]),
  withCap("CAP_SYS_RAWIO", ["iopl", "ioperm"]),
  withCap("CAP_SYS_TIME", ["settimeofday", "stime", "clock_settime", "clock_settime64"]),
  withCap("CAP_SYS_TTY_CONFIG", ["vhangup"]),
  withCap("CAP_SYS_NICE", ["get_mempolicy", "set_mempolicy", "set_mempolicy_home_node", "mbind"]),
  withCap("CAP_SYSLOG", ["syslog"]),
  withCap("CAP_BPF", ["bpf"]),
  withCap("CAP_PERFMON", ["perf_event_open"]),
];

/**
 * The RuntimeDefault profile for a container with the given bounding set on this host: every
 * group whose condition holds, for the host's architecture family; anything else → EPERM.
 * Syscall names libseccomp does not know (newer than it) are skipped by runc.
 */
export function defaultSeccompProfile(ctx: SeccompContext): OciSeccomp {
  const syscalls: OciSyscallRule[] = defaultSyscallGroups
    .filter((g) => ruleApplies(ctx, g.when, g.unless))
    .map((g) => ({
      names: [...g.names],
      action: g.action ?? "SCMP_ACT_ALLOW",
      ...(g.errnoRet !== undefined ? { errnoRet: g.errnoRet } : {}),
      ...(g.args ? { args: g.args.map((a) => ({ ...a })) } : {}),
    }));
  return {
    defaultAction: "SCMP_ACT_ERRNO",
    defaultErrnoRet: EPERM,
    architectures: [...(archFamilies[ctx.arch] ?? [])],
    syscalls,
  };
}

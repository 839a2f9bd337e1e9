import { spawn, type ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import type { TerminalSize } from "./terminal-size.js";

/**
 * Node can neither allocate a pseudo-terminal nor receive the file descriptor `runc exec -t
 * --console-socket` sends (SCM_RIGHTS), and a native addon is not wanted. So the command runs
 * under this small Perl program (perl-base is part of every Debian system): it opens /dev/ptmx,
 * makes the slave the command's controlling terminal and stdio, and relays bytes between its own
 * stdin/stdout and the master. Lines "<rows> <cols>" on fd 3 resize the terminal (TIOCSWINSZ on
 * the master, so the kernel sends SIGWINCH to the command). It exits with the command's status.
 * ioctl numbers are the generic Linux ones (x86_64, arm64).
 */
const ptyProgram = String.raw`
use strict; use warnings; use POSIX ();
my ($rows, $cols, @cmd) = @ARGV;
open(my $m, "+<", "/dev/ptmx") or die "open /dev/ptmx: $!\n";
my $unlock = pack("i", 0); ioctl($m, 0x40045431, $unlock) or die "unlockpt: $!\n";
my $ptn = pack("I", 0); ioctl($m, 0x80045430, $ptn) or die "ptsname: $!\n";
my $slave = "/dev/pts/" . unpack("I", $ptn);
sub winsize { my $ws = pack("S4", $_[0], $_[1], 0, 0); ioctl($m, 0x5414, $ws) }
winsize($rows, $cols) if $rows > 0 && $cols > 0;
my $pid = fork() // die "fork: $!\n";
if ($pid == 0) {
  # Complaints go to the helper's own stderr (close-on-exec), not to the terminal.
  open(my $err, ">&", \*STDERR) or die "dup stderr: $!\n";
  POSIX::setsid();
  open(my $s, "+<", $slave) or die "open $slave: $!\n";
  POSIX::dup2(fileno($s), $_) for 0 .. 2;
  POSIX::close(3);
  exec { $cmd[0] } @cmd or do { syswrite($err, "exec $cmd[0]: $!\n"); POSIX::_exit(255) };
}
my ($in_open, $pending, $ctl_buf) = (1, "", "");
my $ctl_open = open(my $ctl, "<&=", 3) ? 1 : 0;
while (1) {
  my ($r, $w) = ("", "");
  vec($r, fileno($m), 1) = 1;
  vec($r, 0, 1) = 1 if $in_open && length($pending) < 65536;
  vec($r, 3, 1) = 1 if $ctl_open;
  vec($w, fileno($m), 1) = 1 if length $pending;
  if (select($r, $w, undef, undef) < 0) { next if $!{EINTR}; die "select: $!\n" }
  if (vec($r, fileno($m), 1)) {
    my $got = sysread($m, my $buf, 65536);
    last if !$got;
    for (my $off = 0; $off < $got;) { $off += syswrite(STDOUT, $buf, $got - $off, $off) // exit 141 }
  }
  if ($in_open && vec($r, 0, 1)) {
    my $got = sysread(STDIN, my $buf, 65536);
    if ($got) { $pending .= $buf } else { $in_open = 0 }
  }
  if (length $pending && vec($w, fileno($m), 1)) {
    my $wrote = syswrite($m, $pending);
    substr($pending, 0, $wrote, "") if $wrote;
  }
  if ($ctl_open && vec($r, 3, 1)) {
    my $got = sysread($ctl, my $buf, 1024);
    if ($got) { $ctl_buf .= $buf } else { $ctl_open = 0 }
    winsize($1, $2) while $ctl_buf =~ s/^(\d+) (\d+)\n//;
  }
}
waitpid($pid, 0);
exit(POSIX::WIFEXITED($?) ? POSIX::WEXITSTATUS($?) : 128 + POSIX::WTERMSIG($?));
`;

export interface PtyProcess {
  child: ChildProcess;
  /** Keystrokes for the terminal; undefined when the caller wanted no input. */
  input?: Writable;
  /** Everything the terminal shows. */
  output: Readable;
  /** The helper's own complaints (a failed exec, no /dev/ptmx). */
  errors: Readable;
  resize(size: TerminalSize): void;
}

/** Runs `command` (absolute path first) on a new pseudo-terminal of `size`. */
export function spawnInPty(
  command: string[],
  options: { size?: TerminalSize; input: boolean; perl?: string },
): PtyProcess {
  const { width = 0, height = 0 } = options.size ?? {};
  const child = spawn(
    options.perl ?? "perl",
    ["-e", ptyProgram, "--", String(height), String(width), ...command],
    { stdio: [options.input ? "pipe" : "ignore", "pipe", "pipe", "pipe"] },
  );
  const control = child.stdio[3] as Writable;
  // Writes after the helper ended fail with EPIPE; the exit is reported through the child.
  control.on("error", () => undefined);
  child.stdin?.on("error", () => undefined);
  return {
    child,
    input: child.stdin ?? undefined,
    output: child.stdout!,
    errors: child.stderr!,
    resize(size) {
      if (size.width > 0 && size.height > 0 && control.writable) {
        control.write(`${size.height} ${size.width}\n`);
      }
    },
  };
}

import { spawn, type ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";

/**
 * conmon serves a container's stdio on a SOCK_SEQPACKET unix socket ("attach" in its socket
 * directory): each packet it sends starts with a byte naming the pipe (2 stdout, 3 stderr), and
 * every packet a client sends is written to the container's stdin. Node's net module opens only
 * stream sockets, so this small Perl program (perl-base's Socket module) is the client: it
 * relays stdout packets to its fd 1, stderr packets to fd 3, and its stdin to the socket. With
 * "stdin" it half-closes the socket at end of input, which makes conmon close the container's
 * stdin; with "nostdin" it never reads its own stdin. It exits 0 when conmon closes the socket
 * (the container ended).
 */
const attachProgram = String.raw`
use strict; use warnings; use Socket;
my $with_stdin = ($ARGV[0] // "") eq "stdin";
socket(my $s, AF_UNIX, SOCK_SEQPACKET, 0) or die "socket: $!\n";
connect($s, pack_sockaddr_un("attach")) or die "connect to the attach socket: $!\n";
open(my $err, ">&=", 3) or die "fd 3: $!\n";
while (1) {
  my $r = "";
  vec($r, fileno($s), 1) = 1;
  vec($r, 0, 1) = 1 if $with_stdin;
  if (select($r, undef, undef, undef) < 0) { next if $!{EINTR}; die "select: $!\n" }
  if (vec($r, fileno($s), 1)) {
    defined(recv($s, my $buf, 65536, 0)) or die "recv: $!\n";
    last if $buf eq "";
    my $out = ord($buf) == 3 ? $err : \*STDOUT;
    my $len = length($buf) - 1;
    for (my $off = 0; $off < $len;) { $off += syswrite($out, $buf, $len - $off, 1 + $off) // exit 141 }
  }
  if ($with_stdin && vec($r, 0, 1)) {
    my $got = sysread(STDIN, my $buf, 32768);
    if ($got) { defined(send($s, $buf, 0)) or die "send: $!\n" }
    else { $with_stdin = 0; shutdown($s, 1) }
  }
}
`;

export interface AttachSocketClient {
  child: ChildProcess;
  input?: Writable;
  stdout: Readable;
  stderr: Readable;
  /** The helper's own complaints (no socket, connection refused). */
  errors: Readable;
}

/** Connects to the attach socket in `socketDir` (conmon's per-container socket directory). */
export function connectAttachSocket(
  socketDir: string,
  options: { input: boolean; perl?: string },
): AttachSocketClient {
  const child = spawn(
    options.perl ?? "perl",
    ["-e", attachProgram, "--", options.input ? "stdin" : "nostdin"],
    // The socket's own path can exceed the 108 bytes of sun_path: connect relative to its dir.
    { cwd: socketDir, stdio: [options.input ? "pipe" : "ignore", "pipe", "pipe", "pipe"] },
  );
  child.stdin?.on("error", () => undefined);
  return {
    child,
    input: child.stdin ?? undefined,
    stdout: child.stdout!,
    stderr: child.stdio[3] as Readable,
    errors: child.stderr!,
  };
}

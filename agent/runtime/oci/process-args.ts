import { invalidArgument } from "../../../lib/errors.js";
import type { ImageRunConfig } from "./spec-input.js";

/**
 * The container's argv, by the kubelet's rules (which follow Docker's): `command` replaces the
 * image Entrypoint and `args` replaces the image Cmd; a `command` without `args` does not pick up
 * the image Cmd. An Entrypoint of [""] means "none" (how `ENTRYPOINT []`/`--entrypoint ""` reset
 * it). Nothing to run is an error.
 */
export function processArgs(command: string[], args: string[], image: ImageRunConfig): string[] {
  let argv: string[];
  if (command.length > 0) {
    argv = [...command, ...args];
  } else {
    const entrypoint = image.Entrypoint ?? [];
    const noEntrypoint = entrypoint.length === 1 && entrypoint[0] === "";
    argv = [...(noEntrypoint ? [] : entrypoint), ...(args.length > 0 ? args : (image.Cmd ?? []))];
  }
  if (argv.length === 0) {
    throw invalidArgument(
      "config.command: no command specified, and the image has neither an Entrypoint nor a Cmd",
      { field: "config.command" },
    );
  }
  if (argv[0] === "") {
    throw invalidArgument("config.command: the program to run is an empty string", {
      field: "config.command",
    });
  }
  const nul = argv.findIndex((a) => a.includes("\0"));
  if (nul >= 0) {
    throw invalidArgument(`config.command: argument ${nul} contains a NUL byte`, {
      field: "config.command",
    });
  }
  return argv;
}

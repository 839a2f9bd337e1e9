/**
 * A bench's entry point: flags parsed (a bad one exits 2 with its message), then the run and its
 * report; a failure is printed with its stack and exits 1.
 */
export async function runBench<Flags, Result>(
  name: string,
  readFlags: (argv: string[]) => Flags,
  run: (flags: Flags) => Promise<Result>,
  report: (result: Result, flags: Flags) => void = () => undefined,
): Promise<void> {
  let flags: Flags;
  try {
    flags = readFlags(process.argv.slice(2));
  } catch (err) {
    console.error(`bench/${name}: ${(err as Error).message}`);
    process.exit(2);
  }
  try {
    report(await run(flags), flags);
  } catch (err) {
    console.error(`bench/${name} failed: ${(err as Error).stack ?? err}`);
    process.exitCode = 1;
  }
}

import { Command } from "commander";
import { asBerthError } from "../lib/errors.js";
import { berthVersion } from "../lib/version.js";
import { agentCommand } from "./commands/agent.js";
import { controllerCommand } from "./commands/controller.js";
import { criCommand } from "./commands/cri.js";
import { downCommand } from "./commands/down.js";
import { imageCommand } from "./commands/image.js";
import { upCommand } from "./commands/up.js";

const program = new Command("berth")
  .description("Berth: a Kubernetes-style node agent and control plane")
  .version(berthVersion, "--version", "print the version")
  .showHelpAfterError()
  .exitOverride();

program
  .command("version")
  .description("print the version")
  .action(() => console.log(`berth ${berthVersion}`));
program.addCommand(upCommand());
program.addCommand(downCommand());
program.addCommand(agentCommand());
program.addCommand(controllerCommand());
program.addCommand(imageCommand());
program.addCommand(criCommand());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const code = (err as { code?: string }).code;
  if (typeof code === "string" && code.startsWith("commander.")) {
    const exitCode = (err as { exitCode?: number }).exitCode ?? 2;
    process.exit(code === "commander.helpDisplayed" || code === "commander.version" ? 0 : exitCode);
  }
  console.error(`berth: ${asBerthError(err).message}`);
  process.exit(1);
}

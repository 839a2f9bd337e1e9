import { runPlugin } from "../skel.js";
import { hostLocalPlugin } from "./plugin.js";

await runPlugin(hostLocalPlugin);

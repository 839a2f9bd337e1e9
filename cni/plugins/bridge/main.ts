import { runPlugin } from "../skel.js";
import { bridgePlugin } from "./plugin.js";

await runPlugin(bridgePlugin);

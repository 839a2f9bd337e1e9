import { runPlugin } from "../skel.js";
import { portmapPlugin } from "./portmap.js";

await runPlugin(portmapPlugin);

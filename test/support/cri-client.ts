export { criClient, type CriClient } from "../../agent/cri/client.js";

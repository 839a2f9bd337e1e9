import type { ContainerRecord } from "../../runtime/records.js";

type CriContainerState =
  "CONTAINER_CREATED" | "CONTAINER_RUNNING" | "CONTAINER_EXITED" | "CONTAINER_UNKNOWN";

export function criContainerState(record: ContainerRecord): CriContainerState {
  switch (record.state) {
    case "created":
      return "CONTAINER_CREATED";
    case "running":
      return "CONTAINER_RUNNING";
    case "exited":
      return "CONTAINER_EXITED";
    default:
      return "CONTAINER_UNKNOWN";
  }
}

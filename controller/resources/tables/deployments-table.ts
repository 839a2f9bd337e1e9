import type { KubeObject } from "../kube-object.js";
import { formatAgeOf } from "./age.js";
import { ageColumn, column, containersColumn, imagesColumn, nameColumn } from "./common-columns.js";
import { integer, record, text } from "./json-fields.js";
import { labelSelectorString } from "./label-selector-text.js";
import { templateContainerCells } from "./template-cells.js";
import { desiredReplicas } from "./replicas.js";
import type { TableDef } from "./table-def.js";

// Kubernetes declares these count columns as strings, though the cells hold integers.
export const deploymentTable: TableDef = {
  columns: [
    nameColumn,
    column("Ready", "Number of the pod with ready state"),
    column(
      "Up-to-date",
      "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
    ),
    column(
      "Available",
      "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
    ),
    ageColumn,
    containersColumn,
    imagesColumn,
    column(
      "Selector",
      "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
      {
        priority: 1,
      },
    ),
  ],
  row: deploymentRow,
};

function deploymentRow(deployment: KubeObject, now: Date): unknown[] {
  const meta = record(deployment.metadata);
  const spec = record(deployment.spec);
  const status = record(deployment.status);
  const { names, images } = templateContainerCells(spec);
  return [
    text(meta.name),
    `${integer(status.readyReplicas)}/${desiredReplicas(spec)}`,
    integer(status.updatedReplicas),
    integer(status.availableReplicas),
    formatAgeOf(meta.creationTimestamp, now),
    names,
    images,
    // Unlike other kinds, Kubernetes prints a deployment's selector without "<none>"/"<error>".
    labelSelectorString(spec.selector) ?? "<invalid>",
  ];
}

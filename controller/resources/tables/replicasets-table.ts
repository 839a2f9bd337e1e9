import type { KubeObject } from "../kube-object.js";
import { formatAgeOf } from "./age.js";
import { ageColumn, column, containersColumn, imagesColumn, nameColumn } from "./common-columns.js";
import { integer, record, text } from "./json-fields.js";
import { formatLabelSelector } from "./label-selector-text.js";
import { desiredReplicas } from "./replicas.js";
import { templateContainerCells } from "./template-cells.js";
import type { TableDef } from "./table-def.js";

export const replicaSetTable: TableDef = {
  columns: [
    nameColumn,
    column("Desired", "Replicas is the number of desired pods.", { type: "integer" }),
    column("Current", "Replicas is the most recently observed number of replicas.", {
      type: "integer",
    }),
    column("Ready", "The number of ready replicas for this replica set.", { type: "integer" }),
    ageColumn,
    containersColumn,
    imagesColumn,
    column("Selector", "Selector is a label query over pods that should match the replica count.", {
      priority: 1,
    }),
  ],
  row: (replicaSet: KubeObject, now: Date): unknown[] => {
    const meta = record(replicaSet.metadata);
    const spec = record(replicaSet.spec);
    const status = record(replicaSet.status);
    const { names, images } = templateContainerCells(spec);
    return [
      text(meta.name),
      desiredReplicas(spec),
      integer(status.replicas),
      integer(status.readyReplicas),
      formatAgeOf(meta.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};

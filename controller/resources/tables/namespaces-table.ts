import type { KubeObject } from "../kube-object.js";
import { formatAgeOf } from "./age.js";
import { ageColumn, column, nameColumn } from "./common-columns.js";
import { record, text } from "./json-fields.js";
import type { TableDef } from "./table-def.js";

export const namespaceTable: TableDef = {
  columns: [nameColumn, column("Status", "The status of the namespace"), ageColumn],
  row: (namespace: KubeObject, now: Date): unknown[] => {
    const meta = record(namespace.metadata);
    return [
      text(meta.name),
      text(record(namespace.status).phase),
      formatAgeOf(meta.creationTimestamp, now),
    ];
  },
};

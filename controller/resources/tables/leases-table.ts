import type { KubeObject } from "../kube-object.js";
import { formatAgeOf } from "./age.js";
import { ageColumn, column, nameColumn } from "./common-columns.js";
import { record, text } from "./json-fields.js";
import type { TableDef } from "./table-def.js";

export const leaseTable: TableDef = {
  columns: [
    nameColumn,
    column("Holder", "The identity of the holder of the current lease."),
    ageColumn,
  ],
  row: (lease: KubeObject, now: Date): unknown[] => {
    const meta = record(lease.metadata);
    return [
      text(meta.name),
      text(record(lease.spec).holderIdentity),
      formatAgeOf(meta.creationTimestamp, now),
    ];
  },
};

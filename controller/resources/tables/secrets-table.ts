import type { KubeObject } from "../kube-object.js";
import { formatAgeOf } from "./age.js";
import { ageColumn, column, nameColumn } from "./common-columns.js";
import { keyCount, record, text } from "./json-fields.js";
import type { TableDef } from "./table-def.js";

export const secretTable: TableDef = {
  columns: [
    nameColumn,
    column("Type", "Used to facilitate programmatic handling of secret data."),
    column("Data", "Data contains the secret data, base64 encoded."),
    ageColumn,
  ],
  // stringData is write-only: it is merged into data when the secret is written.
  row: (secret: KubeObject, now: Date): unknown[] => {
    const meta = record(secret.metadata);
    return [
      text(meta.name),
      text(secret.type),
      keyCount(secret.data),
      formatAgeOf(meta.creationTimestamp, now),
    ];
  },
};

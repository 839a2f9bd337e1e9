import type { KubeObject } from "../kube-object.js";
import { formatAgeOf } from "./age.js";
import { ageColumn, column, nameColumn } from "./common-columns.js";
import { keyCount, record, text } from "./json-fields.js";
import type { TableDef } from "./table-def.js";

export const configMapTable: TableDef = {
  columns: [
    nameColumn,
    column(
      "Data",
      "Data contains the configuration data, in UTF-8 (data) or binary (binaryData) form.",
    ),
    ageColumn,
  ],
  row: (configMap: KubeObject, now: Date): unknown[] => {
    const meta = record(configMap.metadata);
    return [
      text(meta.name),
      keyCount(configMap.data) + keyCount(configMap.binaryData),
      formatAgeOf(meta.creationTimestamp, now),
    ];
  },
};

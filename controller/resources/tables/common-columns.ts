import type { TableColumn } from "../resource-type.js";

// Columns many kinds share, described as Kubernetes' own printers describe them.

export function column(
  name: string,
  description: string,
  options: Partial<Pick<TableColumn, "type" | "format" | "priority">> = {},
): TableColumn {
  return {
    name,
    type: options.type ?? "string",
    format: options.format ?? "",
    description,
    priority: options.priority ?? 0,
  };
}

export const nameColumn: TableColumn = column(
  "Name",
  "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Cannot be updated.",
  { format: "name" },
);

export const ageColumn: TableColumn = column(
  "Age",
  "CreationTimestamp is a timestamp representing the server time when this object was created. It is represented in RFC3339 form and is in UTC.",
);

export const containersColumn: TableColumn = column(
  "Containers",
  "Names of each container in the template.",
  { priority: 1 },
);

export const imagesColumn: TableColumn = column(
  "Images",
  "Images referenced by each container in the template.",
  { priority: 1 },
);

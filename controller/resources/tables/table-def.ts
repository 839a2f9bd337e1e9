import type { KubeObject } from "../kube-object.js";
import type { TableColumn } from "../resource-type.js";

/**
 * The columns `kubectl get` shows for one kind, and the cells of one object's row. The row always
 * holds every column, wide ones included: the API server answers as Kubernetes does (wide rows),
 * and kubectl hides priority-1 columns unless asked for `-o wide`.
 */
export interface TableDef {
  columns: TableColumn[];
  /** One cell per column, in column order. Never throws: missing or ill-typed fields print as Kubernetes prints zero values. */
  row(obj: KubeObject, now: Date): unknown[];
}

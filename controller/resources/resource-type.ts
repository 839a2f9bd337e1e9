import type { FieldCause, KubeObject } from "./kube-object.js";

export interface TableColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format: "" | "name" | "date";
  description: string;
  /** 0: always shown; 1: only with -o wide. */
  priority: 0 | 1;
}

/** What a field in an object may hold, for strict decoding (unknown fields) and OpenAPI v3. */
export type FieldSchema =
  | { type: "string" | "integer" | "number" | "boolean" }
  /** int-or-string, quantities, free-form values (RawExtension), anything. */
  | { type: "any" }
  | { type: "object"; properties: Record<string, FieldSchema> }
  /** Maps with arbitrary keys (labels, annotations, data, resources.limits). */
  | { type: "map"; values: FieldSchema }
  | { type: "array"; items: FieldSchema };

/**
 * One kind the API serves: naming for URLs and discovery, and the strategy hooks the generic
 * REST handlers call. Hooks mutate or inspect plain JSON; they never touch storage.
 */
export interface ResourceType {
  group: string; // "" for core
  version: string;
  kind: string; // "Pod"
  listKind: string; // "PodList"
  plural: string; // "pods"
  singular: string; // "pod"
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Subresources served: "status", "scale", "binding", "eviction", "log", "exec", "attach", "portforward". */
  subresources: string[];
  /**
   * True when status is written only through /status: an update of the main resource keeps the
   * stored status, and /status updates keep everything but status (as Kubernetes does for pods,
   * nodes, namespaces, deployments, replicasets).
   */
  statusSubresource: boolean;
  /** Schema of the whole object, for fieldValidation=Strict and the OpenAPI v3 document. */
  schema: FieldSchema;

  /** Defaults applied on create and update (protocol: TCP, restartPolicy: Always…). */
  applyDefaults(obj: KubeObject): void;
  /** Problems with a new object (metadata.name/namespace already checked generically). */
  validateCreate(obj: KubeObject): FieldCause[];
  /** Problems with an update, including changes to immutable fields. */
  validateUpdate(obj: KubeObject, old: KubeObject): FieldCause[];
  /** Values of the field labels this kind supports in fieldSelector (metadata.* included). */
  fieldLabels(obj: KubeObject): Record<string, string>;
  /** Table columns for `kubectl get`, and one row's cells for an object. */
  tableColumns: TableColumn[];
  tableRow(obj: KubeObject, now: Date): unknown[];
}

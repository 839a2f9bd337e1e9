import type { FieldCause, KubeObject } from "../kube-object.js";
import { objectAt, textAt } from "../json-access.js";
import type { FieldSchema, ResourceType } from "../resource-type.js";
import type { TableDef } from "../tables/table-def.js";
import { findTypeMismatches } from "../type-mismatches.js";
import { dedupe } from "../validation/field-causes.js";
import {
  validateObjectMeta,
  validateObjectMetaUpdate,
  type NameRule,
} from "../validation/object-meta.js";

/** What differs between kinds; defineKind adds the generic parts. */
export interface KindDefinition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: string[];
  statusSubresource: boolean;
  schema: FieldSchema;
  nameRule: NameRule;
  table: TableDef;
  applyDefaults?(obj: KubeObject): void;
  /** The kind's own create rules (metadata and JSON types are checked generically). */
  validate?(obj: KubeObject): FieldCause[];
  /** Rules only a new object must meet, on top of validate(). */
  validateCreateOnly?(obj: KubeObject): FieldCause[];
  /** The kind's own update rules (immutable fields…), on top of validate(). */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldCause[];
  /** Field labels beyond metadata.name and metadata.namespace. */
  fieldLabels?(obj: KubeObject): Record<string, string>;
}

/**
 * A ResourceType from a kind's definition: JSON types are checked first (a mistyped body gets
 * only those causes, as Kubernetes fails such a body while decoding), then metadata, then the
 * kind's rules.
 */
export function defineKind(def: KindDefinition): ResourceType {
  return {
    group: def.group,
    version: def.version,
    kind: def.kind,
    listKind: `${def.kind}List`,
    plural: def.plural,
    singular: def.singular,
    namespaced: def.namespaced,
    shortNames: def.shortNames ?? [],
    categories: def.categories ?? [],
    subresources: def.subresources ?? [],
    statusSubresource: def.statusSubresource,
    schema: def.schema,
    applyDefaults(obj) {
      def.applyDefaults?.(obj);
    },
    validateCreate(obj) {
      const typeErrors = findTypeMismatches(obj, def.schema);
      if (typeErrors.length > 0) return typeErrors;
      return dedupe([
        ...validateObjectMeta(obj, def.namespaced, def.nameRule),
        ...(def.validate?.(obj) ?? []),
        ...(def.validateCreateOnly?.(obj) ?? []),
      ]);
    },
    validateUpdate(obj, old) {
      const typeErrors = findTypeMismatches(obj, def.schema);
      if (typeErrors.length > 0) return typeErrors;
      return dedupe([
        ...validateObjectMetaUpdate(obj, old, def.namespaced),
        ...(def.validate?.(obj) ?? []),
        ...(def.validateUpdate?.(obj, old) ?? []),
      ]);
    },
    fieldLabels(obj) {
      const meta = objectAt(obj.metadata) ?? {};
      return {
        "metadata.name": textAt(meta.name),
        "metadata.namespace": textAt(meta.namespace),
        ...(def.fieldLabels?.(obj) ?? {}),
      };
    },
    tableColumns: def.table.columns,
    tableRow: (obj, now) => def.table.row(obj, now),
  };
}

import type { KubeObject } from "../../resources/kube-object.js";
import { objectAt, objectsAt, textAt } from "../../resources/json-access.js";
import { formatQuantity, readQuantity, type QuantityFormat } from "../../resources/quantity.js";
import type { FieldSchema, TableColumn } from "../../resources/resource-type.js";
import { arr, kindSchema, obj, quantityMap, str, time } from "../../resources/schema/builders.js";
import { objectMetaSchema } from "../../resources/schema/object-meta-schema.js";
import { column, nameColumn } from "../../resources/tables/common-columns.js";
import type { RequestContext } from "../context.js";
import type { ComputedResourceType } from "./computed-resource-type.js";
import { metricsGroup, metricsVersion } from "./metrics-objects.js";

type Serve = (ctx: RequestContext) => Promise<void>;

// metrics-server's table: the name, one column per resource, the window.
const columns: TableColumn[] = [
  nameColumn,
  column("cpu", "CPU usage over the window."),
  column("memory", "Memory working set at the end of the window."),
  column("Window", "How long the usage was measured over."),
];

function computedKind(def: {
  kind: string;
  plural: string;
  namespaced: boolean;
  schema: FieldSchema;
  usage(obj: KubeObject): { cpu: string; memory: string };
  serve: Serve;
}): ComputedResourceType {
  return {
    computed: true,
    verbs: ["get", "list"],
    serve: def.serve,
    group: metricsGroup,
    version: metricsVersion,
    kind: def.kind,
    listKind: `${def.kind}List`,
    plural: def.plural,
    // Aggregated metrics-server reports no singular name; clients derive "nodemetrics" from the kind.
    singular: "",
    namespaced: def.namespaced,
    shortNames: [],
    categories: [],
    subresources: [],
    statusSubresource: false,
    schema: def.schema,
    applyDefaults() {},
    validateCreate: () => [],
    validateUpdate: () => [],
    fieldLabels(o) {
      return {
        "metadata.name": textAt(o.metadata?.name),
        "metadata.namespace": textAt(o.metadata?.namespace),
      };
    },
    tableColumns: columns,
    tableRow(o) {
      const usage = def.usage(o);
      return [textAt(o.metadata?.name), usage.cpu, usage.memory, textAt(o.window)];
    },
  };
}

const metricsFields = { timestamp: time, window: str };

export function nodeMetricsKind(serve: Serve): ComputedResourceType {
  return computedKind({
    kind: "NodeMetrics",
    plural: "nodes",
    namespaced: false,
    schema: kindSchema(objectMetaSchema, { ...metricsFields, usage: quantityMap }),
    usage(o) {
      const usage = objectAt(o.usage) ?? {};
      return { cpu: textAt(usage.cpu), memory: textAt(usage.memory) };
    },
    serve,
  });
}

export function podMetricsKind(serve: Serve): ComputedResourceType {
  return computedKind({
    kind: "PodMetrics",
    plural: "pods",
    namespaced: true,
    schema: kindSchema(objectMetaSchema, {
      ...metricsFields,
      containers: arr(obj({ name: str, usage: quantityMap })),
    }),
    usage(o) {
      const usages = objectsAt(o.containers).map((c) => objectAt(c.usage) ?? {});
      return {
        cpu: sumQuantities(
          usages.map((u) => u.cpu),
          "DecimalSI",
        ),
        memory: sumQuantities(
          usages.map((u) => u.memory),
          "BinarySI",
        ),
      };
    },
    serve,
  });
}

/** The pod's total over its containers, in nano units so that no amount is rounded. */
function sumQuantities(values: unknown[], format: QuantityFormat): string {
  let nanos = 0n;
  for (const value of values) {
    const q = readQuantity(value);
    if ("error" in q) continue;
    const shift = q.exponent10 + 9;
    nanos += shift >= 0 ? q.unscaled * 10n ** BigInt(shift) : q.unscaled / 10n ** BigInt(-shift);
  }
  return formatQuantity({ unscaled: nanos, exponent10: -9, format });
}

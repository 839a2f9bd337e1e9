import type { KubeObject, OwnerReference } from "../resources/kube-object.js";
import { objectAt, stringMapAt, type JsonObject } from "../resources/json-access.js";

/**
 * controller.GetPodFromTemplate: a new pod with the template's labels, annotations, finalizers
 * and spec, named "<owner>-<random>" by the API server, controlled by ref.
 */
export function podFromTemplate(
  template: JsonObject,
  ownerName: string,
  namespace: string,
  ref: OwnerReference,
): KubeObject {
  const meta = objectAt(template.metadata) ?? {};
  const metadata: KubeObject["metadata"] = {
    generateName: `${ownerName}-`,
    namespace,
    labels: stringMapAt(meta.labels),
    ownerReferences: [{ ...ref }],
  };
  const annotations = stringMapAt(meta.annotations);
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  if (Array.isArray(meta.finalizers) && meta.finalizers.length > 0) {
    metadata.finalizers = meta.finalizers.filter((f): f is string => typeof f === "string");
  }
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata,
    spec: structuredClone(objectAt(template.spec) ?? {}),
  };
}

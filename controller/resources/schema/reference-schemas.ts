import { arr, obj, str, stringMap, strings } from "./builders.js";

export const localObjectReferenceSchema = obj({ name: str });

export const objectReferenceSchema = obj({
  kind: str,
  namespace: str,
  name: str,
  uid: str,
  apiVersion: str,
  resourceVersion: str,
  fieldPath: str,
});

export const labelSelectorSchema = obj({
  matchLabels: stringMap,
  matchExpressions: arr(obj({ key: str, operator: str, values: strings })),
});

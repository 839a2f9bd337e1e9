import { any, arr, bool, int, obj, str, stringMap, strings, time } from "./builders.js";

export const ownerReferenceSchema = obj({
  apiVersion: str,
  kind: str,
  name: str,
  uid: str,
  controller: bool,
  blockOwnerDeletion: bool,
});

export const managedFieldsEntrySchema = obj({
  manager: str,
  operation: str,
  apiVersion: str,
  time,
  fieldsType: str,
  fieldsV1: any,
  subresource: str,
});

export const objectMetaSchema = obj({
  name: str,
  generateName: str,
  namespace: str,
  selfLink: str,
  uid: str,
  resourceVersion: str,
  generation: int,
  creationTimestamp: time,
  deletionTimestamp: time,
  deletionGracePeriodSeconds: int,
  labels: stringMap,
  annotations: stringMap,
  ownerReferences: arr(ownerReferenceSchema),
  finalizers: strings,
  managedFields: arr(managedFieldsEntrySchema),
});

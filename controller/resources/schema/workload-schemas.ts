import type { FieldSchema } from "../resource-type.js";
import { any, arr, bool, int, kindSchema, obj, str, time } from "./builders.js";
import { objectMetaSchema } from "./object-meta-schema.js";
import { podTemplateSpecSchema } from "./pod-spec-schema.js";
import { labelSelectorSchema } from "./reference-schemas.js";

const condition = (extra: Record<string, FieldSchema>) =>
  arr(
    obj({ type: str, status: str, lastTransitionTime: time, reason: str, message: str, ...extra }),
  );

export const deploymentSchema = kindSchema(objectMetaSchema, {
  spec: obj({
    replicas: int,
    selector: labelSelectorSchema,
    template: podTemplateSpecSchema,
    strategy: obj({ type: str, rollingUpdate: obj({ maxUnavailable: any, maxSurge: any }) }),
    minReadySeconds: int,
    revisionHistoryLimit: int,
    paused: bool,
    progressDeadlineSeconds: int,
  }),
  status: obj({
    observedGeneration: int,
    replicas: int,
    updatedReplicas: int,
    readyReplicas: int,
    availableReplicas: int,
    unavailableReplicas: int,
    terminatingReplicas: int,
    conditions: condition({ lastUpdateTime: time }),
    collisionCount: int,
  }),
});

export const replicaSetSchema = kindSchema(objectMetaSchema, {
  spec: obj({
    replicas: int,
    minReadySeconds: int,
    selector: labelSelectorSchema,
    template: podTemplateSpecSchema,
  }),
  status: obj({
    replicas: int,
    fullyLabeledReplicas: int,
    readyReplicas: int,
    availableReplicas: int,
    terminatingReplicas: int,
    observedGeneration: int,
    conditions: condition({}),
  }),
});

import { arr, int, obj, str, strings } from "./builders.js";
import { labelSelectorSchema } from "./reference-schemas.js";

const nodeSelectorRequirement = obj({ key: str, operator: str, values: strings });
const nodeSelectorTerm = obj({
  matchExpressions: arr(nodeSelectorRequirement),
  matchFields: arr(nodeSelectorRequirement),
});

const podAffinityTerm = obj({
  labelSelector: labelSelectorSchema,
  namespaces: strings,
  topologyKey: str,
  namespaceSelector: labelSelectorSchema,
  matchLabelKeys: strings,
  mismatchLabelKeys: strings,
});

const podAffinity = obj({
  requiredDuringSchedulingIgnoredDuringExecution: arr(podAffinityTerm),
  preferredDuringSchedulingIgnoredDuringExecution: arr(obj({ weight: int, podAffinityTerm })),
});

export const affinitySchema = obj({
  nodeAffinity: obj({
    requiredDuringSchedulingIgnoredDuringExecution: obj({
      nodeSelectorTerms: arr(nodeSelectorTerm),
    }),
    preferredDuringSchedulingIgnoredDuringExecution: arr(
      obj({ weight: int, preference: nodeSelectorTerm }),
    ),
  }),
  podAffinity,
  podAntiAffinity: podAffinity,
});

export const tolerationSchema = obj({
  key: str,
  operator: str,
  value: str,
  effect: str,
  tolerationSeconds: int,
});

export const topologySpreadConstraintSchema = obj({
  maxSkew: int,
  topologyKey: str,
  whenUnsatisfiable: str,
  labelSelector: labelSelectorSchema,
  minDomains: int,
  nodeAffinityPolicy: str,
  nodeTaintsPolicy: str,
  matchLabelKeys: strings,
});

import { arr, bool, int, obj, quantityMap, str, stringMap, strings } from "./builders.js";
import {
  containerSchema,
  ephemeralContainerSchema,
  imagePullSecretsSchema,
  profileSchema,
  resourceRequirementsSchema,
  seLinuxOptionsSchema,
  windowsOptionsSchema,
} from "./container-schema.js";
import { objectMetaSchema } from "./object-meta-schema.js";
import {
  affinitySchema,
  tolerationSchema,
  topologySpreadConstraintSchema,
} from "./scheduling-schema.js";
import { volumeSchema } from "./volume-schema.js";

const podSecurityContext = obj({
  seLinuxOptions: seLinuxOptionsSchema,
  windowsOptions: windowsOptionsSchema,
  runAsUser: int,
  runAsGroup: int,
  runAsNonRoot: bool,
  supplementalGroups: arr(int),
  supplementalGroupsPolicy: str,
  fsGroup: int,
  sysctls: arr(obj({ name: str, value: str })),
  fsGroupChangePolicy: str,
  seccompProfile: profileSchema,
  appArmorProfile: profileSchema,
  seLinuxChangePolicy: str,
});

/** The whole v1 PodSpec. */
export const podSpecSchema = obj({
  volumes: arr(volumeSchema),
  initContainers: arr(containerSchema),
  containers: arr(containerSchema),
  ephemeralContainers: arr(ephemeralContainerSchema),
  restartPolicy: str,
  terminationGracePeriodSeconds: int,
  activeDeadlineSeconds: int,
  dnsPolicy: str,
  nodeSelector: stringMap,
  serviceAccountName: str,
  serviceAccount: str,
  automountServiceAccountToken: bool,
  nodeName: str,
  hostNetwork: bool,
  hostPID: bool,
  hostIPC: bool,
  shareProcessNamespace: bool,
  securityContext: podSecurityContext,
  imagePullSecrets: imagePullSecretsSchema,
  hostname: str,
  hostnameOverride: str,
  subdomain: str,
  affinity: affinitySchema,
  schedulerName: str,
  tolerations: arr(tolerationSchema),
  hostAliases: arr(obj({ ip: str, hostnames: strings })),
  priorityClassName: str,
  priority: int,
  dnsConfig: obj({
    nameservers: strings,
    searches: strings,
    options: arr(obj({ name: str, value: str })),
  }),
  readinessGates: arr(obj({ conditionType: str })),
  runtimeClassName: str,
  enableServiceLinks: bool,
  preemptionPolicy: str,
  overhead: quantityMap,
  topologySpreadConstraints: arr(topologySpreadConstraintSchema),
  setHostnameAsFQDN: bool,
  os: obj({ name: str }),
  hostUsers: bool,
  schedulingGates: arr(obj({ name: str })),
  resourceClaims: arr(obj({ name: str, resourceClaimName: str, resourceClaimTemplateName: str })),
  resources: resourceRequirementsSchema,
});

export const podTemplateSpecSchema = obj({ metadata: objectMetaSchema, spec: podSpecSchema });

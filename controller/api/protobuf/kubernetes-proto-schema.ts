// The Kubernetes messages a protobuf request body may carry, as a compact table: message name →
// [field number, JSON name, type, flags…]. Numbers are those of Kubernetes' generated.proto
// (k8s.io/api core/v1, apps/v1, policy/v1; k8s.io/apimachinery meta/v1, runtime, util/intstr,
// api/resource). Rows are listed in Go struct order, which is the order Go's JSON writes them.
//
// Flags say how Go's JSON treats the field, since the wire alone cannot tell:
//   (none)     scalars, lists and maps with `omitempty`: left out when zero or empty;
//              messages: a Go value struct, always written (omitempty never drops a struct)
//   value      no `omitempty`: a zero scalar is written, an empty list or map is null
//   pointer    a Go pointer (proto2 optional): written exactly when it was on the wire, even zero
//   nullable   a pointer without `omitempty`: null when absent
//   inline     a struct embedded with `json:",inline"`: its fields join the parent's
//   repeated   a list

export type ScalarType = "string" | "int32" | "int64" | "bool" | "bytes";
export type MapType = "map<string,string>" | "map<string,bytes>" | "map<string,Quantity>";
export type FieldType = ScalarType | MapType | `message:${string}`;
export type Presence = "omitempty" | "value" | "pointer" | "nullable" | "inline";
type Flag = "repeated" | Exclude<Presence, "omitempty">;
type Row = [number: number, json: string, type: FieldType, ...flags: Flag[]];

/** Messages whose unlisted fields are dropped: status the server sets itself, never trusts. */
interface IgnoringRows {
  ignoreUnknownFields: true;
  rows: Row[];
}

const ignoring = (...rows: Row[]): IgnoringRows => ({ ignoreUnknownFields: true, rows });

const table: Record<string, Row[] | IgnoringRows> = {
  // k8s.io/apimachinery/pkg/runtime
  "runtime.TypeMeta": [
    [1, "apiVersion", "string"],
    [2, "kind", "string"],
  ],

  // k8s.io/apimachinery/pkg/apis/meta/v1
  ObjectMeta: [
    [1, "name", "string"],
    [2, "generateName", "string"],
    [3, "namespace", "string"],
    [4, "selfLink", "string"],
    [5, "uid", "string"],
    [6, "resourceVersion", "string"],
    [7, "generation", "int64"],
    [8, "creationTimestamp", "message:Time"],
    [9, "deletionTimestamp", "message:Time", "pointer"],
    [10, "deletionGracePeriodSeconds", "int64", "pointer"],
    [11, "labels", "map<string,string>"],
    [12, "annotations", "map<string,string>"],
    [13, "ownerReferences", "message:OwnerReference", "repeated"],
    [14, "finalizers", "string", "repeated"],
    [17, "managedFields", "message:ManagedFieldsEntry", "repeated"],
  ],
  OwnerReference: [
    [5, "apiVersion", "string", "value"],
    [1, "kind", "string", "value"],
    [3, "name", "string", "value"],
    [4, "uid", "string", "value"],
    [6, "controller", "bool", "pointer"],
    [7, "blockOwnerDeletion", "bool", "pointer"],
  ],
  ManagedFieldsEntry: [
    [1, "manager", "string"],
    [2, "operation", "string"],
    [3, "apiVersion", "string"],
    [4, "time", "message:Time", "pointer"],
    [6, "fieldsType", "string"],
    [7, "fieldsV1", "message:FieldsV1", "pointer"],
    [8, "subresource", "string"],
  ],
  FieldsV1: [[1, "Raw", "bytes"]],
  Time: [
    [1, "seconds", "int64", "pointer"],
    [2, "nanos", "int32", "pointer"],
  ],
  LabelSelector: [
    [1, "matchLabels", "map<string,string>"],
    [2, "matchExpressions", "message:LabelSelectorRequirement", "repeated"],
  ],
  LabelSelectorRequirement: [
    [1, "key", "string", "value"],
    [2, "operator", "string", "value"],
    [3, "values", "string", "repeated"],
  ],
  DeleteOptions: [
    [1, "gracePeriodSeconds", "int64", "pointer"],
    [2, "preconditions", "message:Preconditions", "pointer"],
    [3, "orphanDependents", "bool", "pointer"],
    [4, "propagationPolicy", "string", "pointer"],
    [5, "dryRun", "string", "repeated"],
    [6, "ignoreStoreReadErrorWithClusterBreakingPotential", "bool", "pointer"],
  ],
  Preconditions: [
    [1, "uid", "string", "pointer"],
    [2, "resourceVersion", "string", "pointer"],
  ],

  // k8s.io/apimachinery/pkg/api/resource and pkg/util/intstr
  Quantity: [[1, "string", "string", "pointer"]],
  IntOrString: [
    [1, "type", "int64"],
    [2, "intVal", "int32"],
    [3, "strVal", "string"],
  ],

  // k8s.io/api/core/v1
  Namespace: [
    [1, "metadata", "message:ObjectMeta"],
    [2, "spec", "message:NamespaceSpec"],
    [3, "status", "message:NamespaceStatus"],
  ],
  NamespaceSpec: [[1, "finalizers", "string", "repeated"]],
  NamespaceStatus: ignoring([1, "phase", "string"]),
  ConfigMap: [
    [1, "metadata", "message:ObjectMeta"],
    [4, "immutable", "bool", "pointer"],
    [2, "data", "map<string,string>"],
    [3, "binaryData", "map<string,bytes>"],
  ],
  Secret: [
    [1, "metadata", "message:ObjectMeta"],
    [5, "immutable", "bool", "pointer"],
    [2, "data", "map<string,bytes>"],
    [4, "stringData", "map<string,string>"],
    [3, "type", "string"],
  ],
  ServiceAccount: [
    [1, "metadata", "message:ObjectMeta"],
    [2, "secrets", "message:ObjectReference", "repeated"],
    [3, "imagePullSecrets", "message:LocalObjectReference", "repeated"],
    [4, "automountServiceAccountToken", "bool", "pointer"],
  ],
  ObjectReference: [
    [1, "kind", "string"],
    [2, "namespace", "string"],
    [3, "name", "string"],
    [4, "uid", "string"],
    [5, "apiVersion", "string"],
    [6, "resourceVersion", "string"],
    [7, "fieldPath", "string"],
  ],
  LocalObjectReference: [[1, "name", "string"]],
  Pod: [
    [1, "metadata", "message:ObjectMeta"],
    [2, "spec", "message:PodSpec"],
    [3, "status", "message:PodStatus"],
  ],
  PodStatus: ignoring(),
  PodTemplateSpec: [
    [1, "metadata", "message:ObjectMeta"],
    [2, "spec", "message:PodSpec"],
  ],
  PodSpec: [
    [1, "volumes", "message:Volume", "repeated"],
    [20, "initContainers", "message:Container", "repeated"],
    [2, "containers", "message:Container", "repeated", "value"],
    [3, "restartPolicy", "string"],
    [4, "terminationGracePeriodSeconds", "int64", "pointer"],
    [5, "activeDeadlineSeconds", "int64", "pointer"],
    [6, "dnsPolicy", "string"],
    [7, "nodeSelector", "map<string,string>"],
    [8, "serviceAccountName", "string"],
    [9, "serviceAccount", "string"],
    [21, "automountServiceAccountToken", "bool", "pointer"],
    [10, "nodeName", "string"],
    [11, "hostNetwork", "bool"],
    [12, "hostPID", "bool"],
    [13, "hostIPC", "bool"],
    [27, "shareProcessNamespace", "bool", "pointer"],
    [14, "securityContext", "message:PodSecurityContext", "pointer"],
    [15, "imagePullSecrets", "message:LocalObjectReference", "repeated"],
    [16, "hostname", "string"],
    [17, "subdomain", "string"],
    [19, "schedulerName", "string"],
    [22, "tolerations", "message:Toleration", "repeated"],
    [24, "priorityClassName", "string"],
    [25, "priority", "int32", "pointer"],
    [29, "runtimeClassName", "string", "pointer"],
    [30, "enableServiceLinks", "bool", "pointer"],
    [31, "preemptionPolicy", "string", "pointer"],
    [32, "overhead", "map<string,Quantity>"],
    [35, "setHostnameAsFQDN", "bool", "pointer"],
    [37, "hostUsers", "bool", "pointer"],
  ],
  Container: [
    [1, "name", "string", "value"],
    [2, "image", "string"],
    [3, "command", "string", "repeated"],
    [4, "args", "string", "repeated"],
    [5, "workingDir", "string"],
    [6, "ports", "message:ContainerPort", "repeated"],
    [7, "env", "message:EnvVar", "repeated"],
    [8, "resources", "message:ResourceRequirements"],
    [24, "restartPolicy", "string", "pointer"],
    [9, "volumeMounts", "message:VolumeMount", "repeated"],
    [13, "terminationMessagePath", "string"],
    [20, "terminationMessagePolicy", "string"],
    [14, "imagePullPolicy", "string"],
    [15, "securityContext", "message:SecurityContext", "pointer"],
    [16, "stdin", "bool"],
    [17, "stdinOnce", "bool"],
    [18, "tty", "bool"],
  ],
  ContainerPort: [
    [1, "name", "string"],
    [2, "hostPort", "int32"],
    [3, "containerPort", "int32", "value"],
    [4, "protocol", "string"],
    [5, "hostIP", "string"],
  ],
  EnvVar: [
    [1, "name", "string", "value"],
    [2, "value", "string"],
    [3, "valueFrom", "message:EnvVarSource", "pointer"],
  ],
  EnvVarSource: [
    [1, "fieldRef", "message:ObjectFieldSelector", "pointer"],
    [3, "configMapKeyRef", "message:ConfigMapKeySelector", "pointer"],
    [4, "secretKeyRef", "message:SecretKeySelector", "pointer"],
  ],
  ObjectFieldSelector: [
    [1, "apiVersion", "string"],
    [2, "fieldPath", "string", "value"],
  ],
  ConfigMapKeySelector: [
    [1, "localObjectReference", "message:LocalObjectReference", "inline"],
    [2, "key", "string", "value"],
    [3, "optional", "bool", "pointer"],
  ],
  SecretKeySelector: [
    [1, "localObjectReference", "message:LocalObjectReference", "inline"],
    [2, "key", "string", "value"],
    [3, "optional", "bool", "pointer"],
  ],
  ResourceRequirements: [
    [1, "limits", "map<string,Quantity>"],
    [2, "requests", "map<string,Quantity>"],
  ],
  VolumeMount: [
    [1, "name", "string", "value"],
    [2, "readOnly", "bool"],
    [7, "recursiveReadOnly", "string", "pointer"],
    [3, "mountPath", "string", "value"],
    [4, "subPath", "string"],
    [5, "mountPropagation", "string", "pointer"],
    [6, "subPathExpr", "string"],
  ],
  SecurityContext: [
    [1, "capabilities", "message:Capabilities", "pointer"],
    [2, "privileged", "bool", "pointer"],
    [4, "runAsUser", "int64", "pointer"],
    [8, "runAsGroup", "int64", "pointer"],
    [5, "runAsNonRoot", "bool", "pointer"],
    [6, "readOnlyRootFilesystem", "bool", "pointer"],
    [7, "allowPrivilegeEscalation", "bool", "pointer"],
    [11, "seccompProfile", "message:SeccompProfile", "pointer"],
  ],
  Capabilities: [
    [1, "add", "string", "repeated"],
    [2, "drop", "string", "repeated"],
  ],
  PodSecurityContext: [
    [2, "runAsUser", "int64", "pointer"],
    [6, "runAsGroup", "int64", "pointer"],
    [3, "runAsNonRoot", "bool", "pointer"],
    [4, "supplementalGroups", "int64", "repeated"],
    [5, "fsGroup", "int64", "pointer"],
    [9, "fsGroupChangePolicy", "string", "pointer"],
    [10, "seccompProfile", "message:SeccompProfile", "pointer"],
  ],
  SeccompProfile: [
    [1, "type", "string", "value"],
    [2, "localhostProfile", "string", "pointer"],
  ],
  Toleration: [
    [1, "key", "string"],
    [2, "operator", "string"],
    [3, "value", "string"],
    [4, "effect", "string"],
    [5, "tolerationSeconds", "int64", "pointer"],
  ],
  Volume: [
    [1, "name", "string", "value"],
    [2, "volumeSource", "message:VolumeSource", "inline"],
  ],
  VolumeSource: [
    [1, "hostPath", "message:HostPathVolumeSource", "pointer"],
    [2, "emptyDir", "message:EmptyDirVolumeSource", "pointer"],
    [6, "secret", "message:SecretVolumeSource", "pointer"],
    [10, "persistentVolumeClaim", "message:PersistentVolumeClaimVolumeSource", "pointer"],
    [19, "configMap", "message:ConfigMapVolumeSource", "pointer"],
  ],
  HostPathVolumeSource: [
    [1, "path", "string", "value"],
    [2, "type", "string", "pointer"],
  ],
  EmptyDirVolumeSource: [
    [1, "medium", "string"],
    [2, "sizeLimit", "message:Quantity", "pointer"],
  ],
  SecretVolumeSource: [
    [1, "secretName", "string"],
    [2, "items", "message:KeyToPath", "repeated"],
    [3, "defaultMode", "int32", "pointer"],
    [4, "optional", "bool", "pointer"],
  ],
  PersistentVolumeClaimVolumeSource: [
    [1, "claimName", "string", "value"],
    [2, "readOnly", "bool"],
  ],
  ConfigMapVolumeSource: [
    [1, "localObjectReference", "message:LocalObjectReference", "inline"],
    [2, "items", "message:KeyToPath", "repeated"],
    [3, "defaultMode", "int32", "pointer"],
    [4, "optional", "bool", "pointer"],
  ],
  KeyToPath: [
    [1, "key", "string", "value"],
    [2, "path", "string", "value"],
    [3, "mode", "int32", "pointer"],
  ],
  Service: [
    [1, "metadata", "message:ObjectMeta"],
    [2, "spec", "message:ServiceSpec"],
    [3, "status", "message:ServiceStatus"],
  ],
  ServiceSpec: [
    [1, "ports", "message:ServicePort", "repeated"],
    [2, "selector", "map<string,string>"],
    [3, "clusterIP", "string"],
    [18, "clusterIPs", "string", "repeated"],
    [4, "type", "string"],
    [5, "externalIPs", "string", "repeated"],
    [7, "sessionAffinity", "string"],
    [8, "loadBalancerIP", "string"],
    [9, "loadBalancerSourceRanges", "string", "repeated"],
    [10, "externalName", "string"],
    [11, "externalTrafficPolicy", "string"],
    [12, "healthCheckNodePort", "int32"],
    [13, "publishNotReadyAddresses", "bool"],
    [19, "ipFamilies", "string", "repeated"],
    [17, "ipFamilyPolicy", "string", "pointer"],
    [20, "allocateLoadBalancerNodePorts", "bool", "pointer"],
    [21, "loadBalancerClass", "string", "pointer"],
    [22, "internalTrafficPolicy", "string", "pointer"],
    [23, "trafficDistribution", "string", "pointer"],
  ],
  ServicePort: [
    [1, "name", "string"],
    [2, "protocol", "string"],
    [6, "appProtocol", "string", "pointer"],
    [3, "port", "int32", "value"],
    [4, "targetPort", "message:IntOrString"],
    [5, "nodePort", "int32"],
  ],
  ServiceStatus: ignoring([1, "loadBalancer", "message:LoadBalancerStatus"]),
  LoadBalancerStatus: ignoring(),

  // k8s.io/api/apps/v1
  Deployment: [
    [1, "metadata", "message:ObjectMeta"],
    [2, "spec", "message:DeploymentSpec"],
    [3, "status", "message:DeploymentStatus"],
  ],
  DeploymentSpec: [
    [1, "replicas", "int32", "pointer"],
    [2, "selector", "message:LabelSelector", "nullable"],
    [3, "template", "message:PodTemplateSpec"],
    [4, "strategy", "message:DeploymentStrategy"],
    [5, "minReadySeconds", "int32"],
    [6, "revisionHistoryLimit", "int32", "pointer"],
    [7, "paused", "bool"],
    [9, "progressDeadlineSeconds", "int32", "pointer"],
  ],
  DeploymentStrategy: [
    [1, "type", "string"],
    [2, "rollingUpdate", "message:RollingUpdateDeployment", "pointer"],
  ],
  RollingUpdateDeployment: [
    [1, "maxUnavailable", "message:IntOrString", "pointer"],
    [2, "maxSurge", "message:IntOrString", "pointer"],
  ],
  DeploymentStatus: ignoring(),

  // k8s.io/api/policy/v1
  Eviction: [
    [1, "metadata", "message:ObjectMeta"],
    [2, "deleteOptions", "message:DeleteOptions", "pointer"],
  ],
};

export interface FieldSpec {
  number: number;
  json: string;
  type: FieldType;
  repeated: boolean;
  presence: Presence;
}

export interface MessageSpec {
  name: string;
  /** In Go struct order. */
  fields: FieldSpec[];
  byNumber: Map<number, FieldSpec>;
  ignoreUnknownFields: boolean;
}

function toFieldSpec([number, json, type, ...flags]: Row): FieldSpec {
  const repeated = flags.includes("repeated");
  const explicit = flags.find((flag): flag is Exclude<Flag, "repeated"> => flag !== "repeated");
  const isSingleMessage = type.startsWith("message:") && !repeated;
  return {
    number,
    json,
    type,
    repeated,
    presence: explicit ?? (isSingleMessage ? "value" : "omitempty"),
  };
}

function toMessageSpec(name: string, entry: Row[] | IgnoringRows): MessageSpec {
  const rows = Array.isArray(entry) ? entry : entry.rows;
  const fields = rows.map(toFieldSpec);
  return {
    name,
    fields,
    byNumber: new Map(fields.map((field) => [field.number, field])),
    ignoreUnknownFields: !Array.isArray(entry),
  };
}

export const messageSpecs: ReadonlyMap<string, MessageSpec> = new Map(
  Object.entries(table).map(([name, entry]) => [name, toMessageSpec(name, entry)]),
);

/** The message a `message:<Name>` field type names. */
export function messageName(type: FieldType): string | undefined {
  return type.startsWith("message:") ? type.slice("message:".length) : undefined;
}

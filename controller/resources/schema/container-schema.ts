import type { FieldSchema } from "../resource-type.js";
import { any, arr, bool, int, obj, quantityMap, str, strings } from "./builders.js";
import { localObjectReferenceSchema } from "./reference-schemas.js";

const keySelector = obj({ name: str, key: str, optional: bool });

export const objectFieldSelectorSchema = obj({ apiVersion: str, fieldPath: str });
export const resourceFieldSelectorSchema = obj({ containerName: str, resource: str, divisor: any });

const envVar = obj({
  name: str,
  value: str,
  valueFrom: obj({
    fieldRef: objectFieldSelectorSchema,
    resourceFieldRef: resourceFieldSelectorSchema,
    configMapKeyRef: keySelector,
    secretKeyRef: keySelector,
    fileKeyRef: obj({ volumeName: str, path: str, key: str, optional: bool }),
  }),
});

const envFrom = obj({
  prefix: str,
  configMapRef: obj({ name: str, optional: bool }),
  secretRef: obj({ name: str, optional: bool }),
});

const execAction = obj({ command: strings });
const httpGetAction = obj({
  path: str,
  port: any,
  host: str,
  scheme: str,
  httpHeaders: arr(obj({ name: str, value: str })),
});
const tcpSocketAction = obj({ port: any, host: str });

const probe = obj({
  exec: execAction,
  httpGet: httpGetAction,
  tcpSocket: tcpSocketAction,
  grpc: obj({ port: int, service: str }),
  initialDelaySeconds: int,
  timeoutSeconds: int,
  periodSeconds: int,
  successThreshold: int,
  failureThreshold: int,
  terminationGracePeriodSeconds: int,
});

const lifecycleHandler = obj({
  exec: execAction,
  httpGet: httpGetAction,
  tcpSocket: tcpSocketAction,
  sleep: obj({ seconds: int }),
});

export const seLinuxOptionsSchema = obj({ user: str, role: str, type: str, level: str });
export const windowsOptionsSchema = obj({
  gmsaCredentialSpecName: str,
  gmsaCredentialSpec: str,
  runAsUserName: str,
  hostProcess: bool,
});
export const profileSchema = obj({ type: str, localhostProfile: str });

const securityContext = obj({
  capabilities: obj({ add: strings, drop: strings }),
  privileged: bool,
  seLinuxOptions: seLinuxOptionsSchema,
  windowsOptions: windowsOptionsSchema,
  runAsUser: int,
  runAsGroup: int,
  runAsNonRoot: bool,
  readOnlyRootFilesystem: bool,
  allowPrivilegeEscalation: bool,
  procMount: str,
  seccompProfile: profileSchema,
  appArmorProfile: profileSchema,
});

export const resourceRequirementsSchema = obj({
  limits: quantityMap,
  requests: quantityMap,
  claims: arr(obj({ name: str, request: str })),
});

const containerFields: Record<string, FieldSchema> = {
  name: str,
  image: str,
  command: strings,
  args: strings,
  workingDir: str,
  ports: arr(obj({ name: str, hostPort: int, containerPort: int, protocol: str, hostIP: str })),
  envFrom: arr(envFrom),
  env: arr(envVar),
  resources: resourceRequirementsSchema,
  resizePolicy: arr(obj({ resourceName: str, restartPolicy: str })),
  restartPolicy: str,
  restartPolicyRules: arr(
    obj({ action: str, exitCodes: obj({ operator: str, values: arr(int) }) }),
  ),
  volumeMounts: arr(
    obj({
      name: str,
      readOnly: bool,
      recursiveReadOnly: str,
      mountPath: str,
      subPath: str,
      mountPropagation: str,
      subPathExpr: str,
    }),
  ),
  volumeDevices: arr(obj({ name: str, devicePath: str })),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle: obj({ postStart: lifecycleHandler, preStop: lifecycleHandler, stopSignal: str }),
  terminationMessagePath: str,
  terminationMessagePolicy: str,
  imagePullPolicy: str,
  securityContext,
  stdin: bool,
  stdinOnce: bool,
  tty: bool,
};

export const containerSchema = obj(containerFields);
export const ephemeralContainerSchema = obj({ ...containerFields, targetContainerName: str });
export const imagePullSecretsSchema = arr(localObjectReferenceSchema);

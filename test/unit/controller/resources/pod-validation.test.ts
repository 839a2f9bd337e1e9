import { expect } from "chai";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { cause, create, minimalPod } from "./fixtures/kinds.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- building invalid pods */

const podWith = (edit: (spec: any) => void): KubeObject => {
  const pod = minimalPod() as any;
  edit(pod.spec);
  return pod;
};

describe("controller/resources pod validation on create", () => {
  it("requires at least one container", () => {
    expect(
      create(
        "pods",
        podWith((s) => (s.containers = [])),
      ),
    ).to.deep.equal([cause("FieldValueRequired", "spec.containers", "Required value")]);
  });

  it("requires an image", () => {
    expect(
      create(
        "pods",
        podWith((s) => delete s.containers[0].image),
      ),
    ).to.deep.equal([cause("FieldValueRequired", "spec.containers[0].image", "Required value")]);
  });

  it("refuses an image padded with spaces on pods", () => {
    expect(
      create(
        "pods",
        podWith((s) => (s.containers[0].image = " nginx")),
      ),
    ).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.containers[0].image",
        'Invalid value: " nginx": must not have leading or trailing whitespace',
      ),
    ]);
  });

  it("wants container names that are unique DNS labels", () => {
    const causes = create(
      "pods",
      podWith((s) => {
        s.containers.push({ name: "web", image: "a" }, { name: "Side_Car", image: "b" });
        s.initContainers = [{ name: "web", image: "c" }];
      }),
    );
    expect(causes).to.deep.equal([
      cause("FieldValueDuplicate", "spec.containers[1].name", 'Duplicate value: "web"'),
      cause(
        "FieldValueInvalid",
        "spec.containers[2].name",
        `Invalid value: "Side_Car": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ),
      cause("FieldValueDuplicate", "spec.initContainers[0].name", 'Duplicate value: "web"'),
    ]);
    expect(
      create(
        "pods",
        podWith((s) => (s.containers[0].name = "")),
      ),
    ).to.deep.equal([cause("FieldValueRequired", "spec.containers[0].name", "Required value")]);
  });

  it("checks restartPolicy, dnsPolicy and imagePullPolicy against their values", () => {
    const causes = create(
      "pods",
      podWith((s) => {
        s.restartPolicy = "Sometimes";
        s.dnsPolicy = "Cluster";
        s.containers[0].imagePullPolicy = "Maybe";
      }),
    );
    expect(causes).to.deep.equal([
      cause(
        "FieldValueNotSupported",
        "spec.containers[0].imagePullPolicy",
        'Unsupported value: "Maybe": supported values: "Always", "IfNotPresent", "Never"',
      ),
      cause(
        "FieldValueNotSupported",
        "spec.restartPolicy",
        'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      ),
      cause(
        "FieldValueNotSupported",
        "spec.dnsPolicy",
        'Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
      ),
    ]);
  });

  it("keeps ports within 1–65535 with a known protocol and unique names", () => {
    const causes = create(
      "pods",
      podWith((s) => {
        s.containers[0].ports = [
          { name: "http", containerPort: 70000 },
          { name: "http", containerPort: 80, hostPort: -1, protocol: "ICMP" },
          { name: "Bad--Name", containerPort: 81 },
        ];
      }),
    );
    expect(causes).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.containers[0].ports[0].containerPort",
        "Invalid value: 70000: must be between 1 and 65535, inclusive",
      ),
      cause("FieldValueDuplicate", "spec.containers[0].ports[1].name", 'Duplicate value: "http"'),
      cause(
        "FieldValueInvalid",
        "spec.containers[0].ports[1].hostPort",
        "Invalid value: -1: must be between 1 and 65535, inclusive",
      ),
      cause(
        "FieldValueNotSupported",
        "spec.containers[0].ports[1].protocol",
        'Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      ),
      cause(
        "FieldValueInvalid",
        "spec.containers[0].ports[2].name",
        'Invalid value: "Bad--Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      ),
      cause(
        "FieldValueInvalid",
        "spec.containers[0].ports[2].name",
        'Invalid value: "Bad--Name": must not contain consecutive hyphens',
      ),
    ]);
    expect(
      create(
        "pods",
        podWith((s) => (s.containers[0].ports = [{ protocol: "TCP" }])),
      ),
    ).to.deep.equal([
      cause("FieldValueRequired", "spec.containers[0].ports[0].containerPort", "Required value"),
    ]);
  });

  it("checks resource quantities and that requests do not exceed limits", () => {
    const causes = create(
      "pods",
      podWith((s) => {
        s.containers[0].resources = {
          limits: { cpu: "500m", memory: "1Gi" },
          requests: { cpu: "2 cores", memory: "2048Mi" },
        };
      }),
    );
    expect(causes).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.containers[0].resources.requests[cpu]",
        `Invalid value: "2 cores": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      ),
      cause(
        "FieldValueInvalid",
        "spec.containers[0].resources.requests",
        'Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi',
      ),
    ]);
    expect(
      create(
        "pods",
        podWith((s) => (s.containers[0].resources = { limits: { cpu: "-1", gpu: "1" } })),
      ),
    ).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.containers[0].resources.limits[cpu]",
        'Invalid value: "-1": must be greater than or equal to 0',
      ),
      cause(
        "FieldValueInvalid",
        "spec.containers[0].resources.limits[gpu]",
        'Invalid value: "gpu": must be a standard resource for containers',
      ),
      // Requests default to limits, so they repeat the problems.
      cause(
        "FieldValueInvalid",
        "spec.containers[0].resources.requests[cpu]",
        'Invalid value: "-1": must be greater than or equal to 0',
      ),
      cause(
        "FieldValueInvalid",
        "spec.containers[0].resources.requests[gpu]",
        'Invalid value: "gpu": must be a standard resource for containers',
      ),
    ]);
  });

  it("wants unique, well-formed volumes and mounts that name one", () => {
    const causes = create(
      "pods",
      podWith((s) => {
        s.volumes = [
          { name: "data", emptyDir: {} },
          { name: "data", emptyDir: {} },
          { name: "cfg", configMap: {} },
          { name: "two", emptyDir: {}, hostPath: { path: "/x" } },
        ];
        s.containers[0].volumeMounts = [
          { name: "data", mountPath: "/data" },
          { name: "missing", mountPath: "/data" },
          { name: "cfg", mountPath: "" },
        ];
      }),
    );
    expect(causes).to.deep.equal([
      cause("FieldValueDuplicate", "spec.volumes[1].name", 'Duplicate value: "data"'),
      cause("FieldValueRequired", "spec.volumes[2].configMap.name", "Required value"),
      cause(
        "FieldValueForbidden",
        "spec.volumes[3].emptyDir",
        "Forbidden: may not specify more than 1 volume type",
      ),
      cause(
        "FieldValueNotFound",
        "spec.containers[0].volumeMounts[1].name",
        'Not found: "missing"',
      ),
      cause(
        "FieldValueInvalid",
        "spec.containers[0].volumeMounts[1].mountPath",
        'Invalid value: "/data": must be unique',
      ),
      cause("FieldValueNotFound", "spec.containers[0].volumeMounts[2].name", 'Not found: "cfg"'),
      cause("FieldValueRequired", "spec.containers[0].volumeMounts[2].mountPath", "Required value"),
    ]);
  });

  it("wants exactly one probe handler with sane numbers", () => {
    const causes = create(
      "pods",
      podWith((s) => {
        s.containers[0].livenessProbe = {
          successThreshold: 2,
          periodSeconds: -1,
          exec: { command: ["true"] },
        };
        s.containers[0].readinessProbe = { httpGet: { port: 0 }, tcpSocket: { port: 80 } };
        s.containers[0].startupProbe = {};
      }),
    );
    expect(causes).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.containers[0].livenessProbe.periodSeconds",
        "Invalid value: -1: must be greater than or equal to 0",
      ),
      cause(
        "FieldValueInvalid",
        "spec.containers[0].livenessProbe.successThreshold",
        "Invalid value: 2: must be 1",
      ),
      cause(
        "FieldValueInvalid",
        "spec.containers[0].readinessProbe.httpGet.port",
        "Invalid value: 0: must be between 1 and 65535, inclusive",
      ),
      cause(
        "FieldValueForbidden",
        "spec.containers[0].readinessProbe.tcpSocket",
        "Forbidden: may not specify more than 1 handler type",
      ),
      cause(
        "FieldValueRequired",
        "spec.containers[0].startupProbe",
        "Required value: must specify a handler type",
      ),
    ]);
  });

  it("checks env names and value sources", () => {
    const causes = create(
      "pods",
      podWith((s) => {
        s.containers[0].env = [
          { name: "" },
          { name: "A=B", value: "x" },
          { name: "C", value: "x", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          { name: "D", valueFrom: { fieldRef: { fieldPath: "spec.bogus" } } },
        ];
      }),
    );
    expect(causes).to.deep.equal([
      cause("FieldValueRequired", "spec.containers[0].env[0].name", "Required value"),
      cause(
        "FieldValueInvalid",
        "spec.containers[0].env[1].name",
        `Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
      ),
      cause(
        "FieldValueInvalid",
        "spec.containers[0].env[2].valueFrom",
        'Invalid value: "": may not be specified when `value` is not empty',
      ),
      cause(
        "FieldValueNotSupported",
        "spec.containers[0].env[3].valueFrom.fieldRef.fieldPath",
        'Unsupported value: "spec.bogus": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      ),
    ]);
  });

  it("checks tolerations, dnsConfig and activeDeadlineSeconds", () => {
    const causes = create(
      "pods",
      podWith((s) => {
        s.tolerations = [
          { key: "", operator: "Equal", value: "x" },
          { key: "k", operator: "Maybe", effect: "Never" },
        ];
        s.dnsPolicy = "None";
        s.activeDeadlineSeconds = 0;
      }),
    );
    expect(causes).to.deep.equal([
      cause(
        "FieldValueRequired",
        "spec.dnsConfig",
        "Required value: must provide `dnsConfig` when `dnsPolicy` is None",
      ),
      cause(
        "FieldValueInvalid",
        "spec.activeDeadlineSeconds",
        "Invalid value: 0: must be between 1 and 2147483647, inclusive",
      ),
      cause(
        "FieldValueInvalid",
        "spec.tolerations[0].operator",
        'Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      ),
      cause(
        "FieldValueNotSupported",
        "spec.tolerations[1].operator",
        'Unsupported value: "Maybe": supported values: "Equal", "Exists"',
      ),
      cause(
        "FieldValueNotSupported",
        "spec.tolerations[1].effect",
        'Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ),
    ]);
  });

  it("forbids ephemeral containers on create", () => {
    const causes = create(
      "pods",
      podWith((s) => (s.ephemeralContainers = [{ name: "debug", image: "busybox" }])),
    );
    expect(causes).to.deep.equal([
      cause(
        "FieldValueForbidden",
        "spec.ephemeralContainers",
        "Forbidden: cannot be set on create",
      ),
    ]);
  });

  it("reports JSON type errors alone, as Kubernetes fails such a body while decoding", () => {
    const causes = create(
      "pods",
      podWith((s) => {
        s.containers[0].ports = [{ containerPort: "80" }];
        s.containers[0].name = "";
      }),
    );
    expect(causes).to.deep.equal([
      cause(
        "FieldValueTypeInvalid",
        "spec.containers[0].ports[0].containerPort",
        'Invalid value: "string": spec.containers[0].ports[0].containerPort in body must be of type integer: "string"',
      ),
    ]);
    expect(
      create("pods", { metadata: { name: "x", namespace: "d" }, spec: "nope" } as any)[0].field,
    ).to.equal("spec");
  });
});

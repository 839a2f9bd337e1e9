import { expect } from "chai";
import { decodeKubernetesProtobuf } from "../../../../../controller/api/protobuf/decode-protobuf.js";
import { bytes, entry, int, kubernetesBody, msg, str } from "./protobuf-writer.js";

// Field numbers below are copied from Kubernetes' generated.proto files, one literal per use.
const jan1st2025 = 1735689600;

describe("decodeKubernetesProtobuf: core kinds and options", () => {
  it("keeps every ObjectMeta field, times as RFC 3339 and pointer zeroes", () => {
    const body = kubernetesBody(
      "v1",
      "Namespace",
      msg(
        1,
        str(1, "team-a"),
        str(2, "team-"),
        str(4, "/api/v1/namespaces/team-a"), // selfLink
        str(5, "0b5c6f0e-uid"),
        str(6, "42"),
        int(7, 3), // generation
        msg(8, int(1, jan1st2025), int(2, 999)), // creationTimestamp; nanos are dropped
        msg(9, int(1, jan1st2025 + 3661)), // deletionTimestamp
        int(10, 0), // deletionGracePeriodSeconds, a pointer: zero is kept
        entry(11, "tier", "web"),
        entry(11, "app", "shop"),
        entry(12, "note", "x"),
        msg(
          13,
          str(1, "Deployment"),
          str(3, "web"),
          str(4, "uid-1"),
          str(5, "apps/v1"),
          int(6, true),
          int(7, true),
        ),
        str(14, "example.com/cleanup"),
        msg(
          17,
          str(1, "kubectl-create"),
          str(2, "Update"),
          str(3, "v1"),
          msg(4, int(1, jan1st2025)),
          str(6, "FieldsV1"),
          msg(7, bytes(1, Buffer.from('{"f:metadata":{"f:labels":{}}}'))),
          str(8, "status"),
        ),
      ),
      msg(2, str(1, "kubernetes")), // NamespaceSpec.finalizers
      msg(3, str(1, "Active")), // NamespaceStatus.phase
    );
    expect(decodeKubernetesProtobuf(body)).to.deep.equal({
      kind: "Namespace",
      apiVersion: "v1",
      metadata: {
        name: "team-a",
        generateName: "team-",
        selfLink: "/api/v1/namespaces/team-a",
        uid: "0b5c6f0e-uid",
        resourceVersion: "42",
        generation: 3,
        creationTimestamp: "2025-01-01T00:00:00Z",
        deletionTimestamp: "2025-01-01T01:01:01Z",
        deletionGracePeriodSeconds: 0,
        labels: { app: "shop", tier: "web" },
        annotations: { note: "x" },
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: "Deployment",
            name: "web",
            uid: "uid-1",
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
        finalizers: ["example.com/cleanup"],
        managedFields: [
          {
            manager: "kubectl-create",
            operation: "Update",
            apiVersion: "v1",
            time: "2025-01-01T00:00:00Z",
            fieldsType: "FieldsV1",
            fieldsV1: { "f:metadata": { "f:labels": {} } },
            subresource: "status",
          },
        ],
      },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
  });

  it("decodes a ConfigMap: data, binaryData as base64, immutable false kept", () => {
    const body = kubernetesBody(
      "v1",
      "ConfigMap",
      msg(1, str(1, "settings"), str(3, "default")),
      entry(2, "mode", "fast"),
      entry(3, "blob", Buffer.from([0x00, 0xff, 0x10])),
      int(4, false),
    );
    expect(decodeKubernetesProtobuf(body)).to.deep.equal({
      kind: "ConfigMap",
      apiVersion: "v1",
      metadata: { name: "settings", namespace: "default", creationTimestamp: null },
      immutable: false,
      data: { mode: "fast" },
      binaryData: { blob: "AP8Q" },
    });
  });

  it("decodes a Secret: data as base64, stringData, type, immutable", () => {
    const body = kubernetesBody(
      "v1",
      "Secret",
      msg(1, str(1, "creds")),
      entry(2, "password", Buffer.from("hunter2")),
      str(3, "Opaque"),
      entry(4, "user", "admin"),
      int(5, true),
    );
    expect(decodeKubernetesProtobuf(body)).to.deep.equal({
      kind: "Secret",
      apiVersion: "v1",
      metadata: { name: "creds", creationTimestamp: null },
      immutable: true,
      data: { password: Buffer.from("hunter2").toString("base64") },
      stringData: { user: "admin" },
      type: "Opaque",
    });
  });

  it("decodes every ServiceSpec field a LoadBalancer may carry", () => {
    const body = kubernetesBody(
      "v1",
      "Service",
      msg(
        2,
        msg(1, int(3, 443), msg(4, int(2, 8443)), str(6, "kubernetes.io/h2c")),
        str(4, "LoadBalancer"),
        str(5, "192.0.2.1"),
        str(8, "192.0.2.2"),
        str(9, "10.0.0.0/8"),
        str(10, "ignored.example"),
        str(11, "Local"),
        int(12, 32000),
        int(13, true),
        str(17, "PreferDualStack"),
        str(18, "10.96.0.5"),
        str(19, "IPv4"),
        int(20, false),
        str(21, "example.com/lb"),
        str(22, "Cluster"),
        str(23, "PreferClose"),
      ),
    );
    expect(decodeKubernetesProtobuf(body).spec).to.deep.equal({
      ports: [{ appProtocol: "kubernetes.io/h2c", port: 443, targetPort: 8443 }],
      clusterIPs: ["10.96.0.5"],
      type: "LoadBalancer",
      externalIPs: ["192.0.2.1"],
      loadBalancerIP: "192.0.2.2",
      loadBalancerSourceRanges: ["10.0.0.0/8"],
      externalName: "ignored.example",
      externalTrafficPolicy: "Local",
      healthCheckNodePort: 32000,
      publishNotReadyAddresses: true,
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "PreferDualStack",
      allocateLoadBalancerNodePorts: false,
      loadBalancerClass: "example.com/lb",
      internalTrafficPolicy: "Cluster",
      trafficDistribution: "PreferClose",
    });
  });

  it("decodes a Service with a named target port, and its status as Go writes it", () => {
    const body = kubernetesBody(
      "v1",
      "Service",
      msg(1, str(1, "web")),
      msg(
        2,
        msg(
          1,
          str(1, "http"),
          str(2, "TCP"),
          int(3, 80),
          msg(4, int(1, 1), str(3, "http")),
          int(5, 30080),
        ),
        msg(1, int(3, 9090)), // targetPort absent: Go writes its zero IntOrString, 0
        entry(2, "app", "web"),
        str(3, "10.96.0.10"),
        str(4, "NodePort"),
        str(7, "None"),
      ),
    );
    expect(decodeKubernetesProtobuf(body)).to.deep.equal({
      kind: "Service",
      apiVersion: "v1",
      metadata: { name: "web", creationTimestamp: null },
      spec: {
        ports: [
          { name: "http", protocol: "TCP", port: 80, targetPort: "http", nodePort: 30080 },
          { port: 9090, targetPort: 0 },
        ],
        selector: { app: "web" },
        clusterIP: "10.96.0.10",
        type: "NodePort",
        sessionAffinity: "None",
      },
      status: { loadBalancer: {} },
    });
  });

  it("decodes a ServiceAccount", () => {
    const body = kubernetesBody(
      "v1",
      "ServiceAccount",
      msg(1, str(1, "builder")),
      msg(
        2,
        str(1, "Secret"),
        str(2, "ci"),
        str(3, "builder-token"),
        str(4, "u"),
        str(5, "v1"),
        str(6, "9"),
        str(7, "data"),
      ),
      msg(3, str(1, "registry")),
      int(4, false),
    );
    expect(decodeKubernetesProtobuf(body)).to.deep.equal({
      kind: "ServiceAccount",
      apiVersion: "v1",
      metadata: { name: "builder", creationTimestamp: null },
      secrets: [
        {
          kind: "Secret",
          namespace: "ci",
          name: "builder-token",
          uid: "u",
          apiVersion: "v1",
          resourceVersion: "9",
          fieldPath: "data",
        },
      ],
      imagePullSecrets: [{ name: "registry" }],
      automountServiceAccountToken: false,
    });
  });

  it("decodes DeleteOptions under any group version, zero and false kept", () => {
    const options = [
      int(1, 0),
      msg(2, str(1, "uid-1"), str(2, "77")),
      int(3, false),
      str(4, "Foreground"),
      str(5, "All"),
      int(6, true),
    ];
    for (const apiVersion of ["v1", "apps/v1", "meta.k8s.io/v1"]) {
      expect(
        decodeKubernetesProtobuf(kubernetesBody(apiVersion, "DeleteOptions", ...options)),
      ).to.deep.equal({
        kind: "DeleteOptions",
        apiVersion,
        gracePeriodSeconds: 0,
        preconditions: { uid: "uid-1", resourceVersion: "77" },
        orphanDependents: false,
        propagationPolicy: "Foreground",
        dryRun: ["All"],
        ignoreStoreReadErrorWithClusterBreakingPotential: true,
      });
    }
  });

  it("decodes a policy/v1 Eviction", () => {
    const body = kubernetesBody(
      "policy/v1",
      "Eviction",
      msg(1, str(1, "web-1"), str(3, "shop")),
      msg(2, int(1, 30), str(5, "All")),
    );
    expect(decodeKubernetesProtobuf(body)).to.deep.equal({
      kind: "Eviction",
      apiVersion: "policy/v1",
      metadata: { name: "web-1", namespace: "shop", creationTimestamp: null },
      deleteOptions: { gracePeriodSeconds: 30, dryRun: ["All"] },
    });
  });

  it("merges an embedded message that appears twice, and the last scalar wins, as protobuf does", () => {
    const body = kubernetesBody(
      "v1",
      "ConfigMap",
      msg(1, str(1, "first"), entry(11, "a", "1")),
      msg(1, str(1, "second"), entry(11, "b", "2")),
    );
    expect(decodeKubernetesProtobuf(body).metadata).to.deep.equal({
      name: "second",
      creationTimestamp: null,
      labels: { a: "1", b: "2" },
    });
  });
});

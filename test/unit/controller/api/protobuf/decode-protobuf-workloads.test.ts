import { expect } from "chai";
import { decodeKubernetesProtobuf } from "../../../../../controller/api/protobuf/decode-protobuf.js";
import { bytes, entry, int, kubernetesBody, message, msg, str } from "./protobuf-writer.js";

// Field numbers below are copied from Kubernetes' generated.proto files, one literal per use.

describe("decodeKubernetesProtobuf: Deployments and Pods", () => {
  it("decodes `kubectl create deployment web --image=nginx:1.27 --replicas=2 --port=80` as kubectl shows it", () => {
    const body = kubernetesBody(
      "apps/v1",
      "Deployment",
      msg(1, str(1, "web"), msg(8), entry(11, "app", "web")), // ObjectMeta, creationTimestamp empty
      msg(
        2, // DeploymentSpec
        int(1, 2), // replicas
        msg(2, entry(1, "app", "web")), // selector.matchLabels
        msg(
          3, // template
          msg(1, msg(8), entry(11, "app", "web")),
          msg(2, msg(2, str(1, "nginx"), str(2, "nginx:1.27"), msg(6, int(3, 80)), msg(8))),
        ),
        msg(4), // strategy
      ),
      msg(3), // status
    );
    // kubectl create deployment web --image=nginx:1.27 --replicas=2 --port=80 --dry-run=client -o json
    expect(decodeKubernetesProtobuf(body)).to.deep.equal({
      kind: "Deployment",
      apiVersion: "apps/v1",
      metadata: { name: "web", creationTimestamp: null, labels: { app: "web" } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: "web" } },
          spec: {
            containers: [
              { name: "nginx", image: "nginx:1.27", ports: [{ containerPort: 80 }], resources: {} },
            ],
          },
        },
        strategy: {},
      },
      status: {},
    });
  });

  it("decodes a Deployment's strategy, selector expressions and optional zeroes", () => {
    const body = kubernetesBody(
      "apps/v1",
      "Deployment",
      msg(1, str(1, "api")),
      msg(
        2,
        int(1, 0), // replicas: 0 is kept
        msg(2, msg(2, str(1, "tier"), str(2, "In"), str(3, "web"), str(3, "api"))),
        msg(3, msg(2, msg(2, str(1, "app"), str(2, "api:1")))),
        msg(
          4,
          str(1, "RollingUpdate"),
          msg(2, msg(1, int(1, 0), int(2, 0)), msg(2, int(1, 1), str(3, "25%"))),
        ),
        int(5, -1), // minReadySeconds, a negative int32 (ten-byte varint)
        int(6, 0), // revisionHistoryLimit: 0 is kept
        int(7, true),
        int(9, 600),
      ),
    );
    expect(decodeKubernetesProtobuf(body)).to.deep.equal({
      kind: "Deployment",
      apiVersion: "apps/v1",
      metadata: { name: "api", creationTimestamp: null },
      spec: {
        replicas: 0,
        selector: { matchExpressions: [{ key: "tier", operator: "In", values: ["web", "api"] }] },
        template: {
          metadata: { creationTimestamp: null },
          spec: { containers: [{ name: "app", image: "api:1", resources: {} }] },
        },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
        minReadySeconds: -1,
        revisionHistoryLimit: 0,
        paused: true,
        progressDeadlineSeconds: 600,
      },
      status: {},
    });
  });

  it("writes what Go writes for a Deployment with nothing set: null selector and containers", () => {
    expect(decodeKubernetesProtobuf(kubernetesBody("apps/v1", "Deployment"))).to.deep.equal({
      kind: "Deployment",
      apiVersion: "apps/v1",
      metadata: { creationTimestamp: null },
      spec: {
        selector: null,
        template: { metadata: { creationTimestamp: null }, spec: { containers: null } },
        strategy: {},
      },
      status: {},
    });
  });

  it("decodes a Pod's spec in full and ignores its status", () => {
    const container = message(
      str(1, "app"),
      str(2, "busybox:1.36"),
      str(3, "sh"),
      str(3, "-c"),
      str(4, "sleep 1d"),
      str(5, "/work"),
      msg(6, str(1, "http"), int(2, 8080), int(3, 80), str(4, "TCP")),
      msg(7, str(1, "MODE"), str(2, "fast")),
      msg(
        7,
        str(1, "TOKEN"),
        msg(3, msg(4, msg(1, str(1, "creds")), str(2, "token"), int(3, false))),
      ),
      msg(
        7,
        str(1, "LEVEL"),
        msg(3, msg(3, msg(1, str(1, "settings")), str(2, "level"), int(3, true))),
      ),
      msg(7, str(1, "POD"), msg(3, msg(1, str(1, "v1"), str(2, "metadata.name")))),
      // resources: map entries whose values are Quantity {1 string}
      msg(
        8,
        entry(1, "cpu", str(1, "500m")),
        entry(1, "memory", str(1, "128Mi")),
        entry(2, "cpu", str(1, "250m")),
      ),
      msg(9, str(1, "data"), int(2, true), str(3, "/data"), str(4, "sub")),
      str(13, "/dev/termination-log"),
      str(14, "IfNotPresent"),
      msg(15, msg(1, str(1, "NET_ADMIN")), int(2, false), int(4, 0)),
      int(16, true),
      int(18, true),
      str(20, "File"),
    );
    const body = kubernetesBody(
      "v1",
      "Pod",
      msg(1, str(1, "p"), str(3, "default")),
      msg(
        2,
        msg(1, str(1, "scratch"), msg(2, msg(2, str(1, "Memory"), msg(2, str(1, "64Mi"))))),
        msg(
          1,
          str(1, "config"),
          msg(
            2,
            msg(
              19,
              msg(1, str(1, "settings")),
              msg(2, str(1, "a"), str(2, "a.txt"), int(3, 256)),
              int(3, 420),
            ),
          ),
        ),
        msg(1, str(1, "creds"), msg(2, msg(6, str(1, "creds"), int(4, false)))),
        msg(1, str(1, "logs"), msg(2, msg(1, str(1, "/var/log"), str(2, "Directory")))),
        msg(1, str(1, "data"), msg(2, msg(10, str(1, "data-pvc"), int(2, true)))),
        msg(2, container),
        str(3, "Always"),
        int(4, 0), // terminationGracePeriodSeconds: 0 is kept
        str(6, "ClusterFirstWithHostNet"),
        entry(7, "disk", "ssd"),
        str(8, "runner"),
        str(10, "node-1"),
        int(11, true),
        msg(14), // securityContext: present but empty
        str(19, "default-scheduler"),
        msg(20, str(1, "init"), str(2, "busybox:1.36")),
        msg(
          22,
          str(1, "node.kubernetes.io/unreachable"),
          str(2, "Exists"),
          str(4, "NoExecute"),
          int(5, 300),
        ),
      ),
      msg(3, str(1, "Running"), str(5, "10.0.0.1")), // status: ignored
    );
    expect(decodeKubernetesProtobuf(body)).to.deep.equal({
      kind: "Pod",
      apiVersion: "v1",
      metadata: { name: "p", namespace: "default", creationTimestamp: null },
      spec: {
        volumes: [
          { name: "scratch", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } },
          {
            name: "config",
            configMap: {
              name: "settings",
              items: [{ key: "a", path: "a.txt", mode: 256 }],
              defaultMode: 420,
            },
          },
          { name: "creds", secret: { secretName: "creds", optional: false } },
          { name: "logs", hostPath: { path: "/var/log", type: "Directory" } },
          { name: "data", persistentVolumeClaim: { claimName: "data-pvc", readOnly: true } },
        ],
        initContainers: [{ name: "init", image: "busybox:1.36", resources: {} }],
        containers: [
          {
            name: "app",
            image: "busybox:1.36",
            command: ["sh", "-c"],
            args: ["sleep 1d"],
            workingDir: "/work",
            ports: [{ name: "http", hostPort: 8080, containerPort: 80, protocol: "TCP" }],
            env: [
              { name: "MODE", value: "fast" },
              {
                name: "TOKEN",
                valueFrom: { secretKeyRef: { name: "creds", key: "token", optional: false } },
              },
              {
                name: "LEVEL",
                valueFrom: { configMapKeyRef: { name: "settings", key: "level", optional: true } },
              },
              {
                name: "POD",
                valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } },
              },
            ],
            resources: { limits: { cpu: "500m", memory: "128Mi" }, requests: { cpu: "250m" } },
            volumeMounts: [{ name: "data", readOnly: true, mountPath: "/data", subPath: "sub" }],
            terminationMessagePath: "/dev/termination-log",
            terminationMessagePolicy: "File",
            imagePullPolicy: "IfNotPresent",
            securityContext: {
              capabilities: { add: ["NET_ADMIN"] },
              privileged: false,
              runAsUser: 0,
            },
            stdin: true,
            tty: true,
          },
        ],
        restartPolicy: "Always",
        terminationGracePeriodSeconds: 0,
        dnsPolicy: "ClusterFirstWithHostNet",
        nodeSelector: { disk: "ssd" },
        serviceAccountName: "runner",
        nodeName: "node-1",
        hostNetwork: true,
        securityContext: {},
        schedulerName: "default-scheduler",
        tolerations: [
          {
            key: "node.kubernetes.io/unreachable",
            operator: "Exists",
            effect: "NoExecute",
            tolerationSeconds: 300,
          },
        ],
      },
      status: {},
    });
  });

  it("decodes a Pod's rarer spec fields", () => {
    const container = message(
      str(1, "c"),
      msg(5 + 1, str(1, "dns"), int(3, 53), str(5, "127.0.0.1")), // ports[0].hostIP
      msg(
        9,
        str(1, "v"),
        str(3, "/v"),
        str(5, "HostToContainer"),
        str(6, "$(POD)"),
        str(7, "IfPossible"),
      ),
      msg(
        15,
        msg(1, str(2, "ALL")), // capabilities.drop
        int(5, true),
        int(6, true),
        int(7, false),
        int(8, 3000),
        msg(11, str(1, "RuntimeDefault")),
      ),
      int(17, true), // stdinOnce
      str(24, "Always"), // restartPolicy (sidecar)
    );
    const body = kubernetesBody(
      "v1",
      "Pod",
      msg(
        2,
        msg(
          1,
          str(1, "s"),
          msg(2, msg(6, str(1, "s"), msg(2, str(1, "k"), str(2, "k.txt")), int(3, 256))),
        ),
        msg(1, str(1, "m"), msg(2, msg(19, msg(1, str(1, "cm")), int(4, true)))),
        msg(2, container),
        int(5, 60), // activeDeadlineSeconds
        str(9, "legacy-sa"),
        int(12, true), // hostPID
        int(13, true), // hostIPC
        msg(
          14,
          int(6, 3000),
          str(9, "OnRootMismatch"),
          msg(10, str(1, "Localhost"), str(2, "p.json")),
        ),
        msg(15, str(1, "pull-secret")),
        str(16, "host"),
        str(17, "sub"),
        int(21, false), // automountServiceAccountToken
        msg(22, str(1, "k"), str(3, "v")),
        str(24, "high"),
        int(25, 1000),
        int(27, true), // shareProcessNamespace
        str(29, "gvisor"),
        int(30, false), // enableServiceLinks
        str(31, "Never"),
        entry(32, "cpu", str(1, "100m")), // overhead
        int(35, true), // setHostnameAsFQDN
        int(37, false), // hostUsers
      ),
    );
    expect(decodeKubernetesProtobuf(body).spec).to.deep.equal({
      volumes: [
        {
          name: "s",
          secret: { secretName: "s", items: [{ key: "k", path: "k.txt" }], defaultMode: 256 },
        },
        { name: "m", configMap: { name: "cm", optional: true } },
      ],
      containers: [
        {
          name: "c",
          ports: [{ name: "dns", containerPort: 53, hostIP: "127.0.0.1" }],
          resources: {},
          restartPolicy: "Always",
          volumeMounts: [
            {
              name: "v",
              recursiveReadOnly: "IfPossible",
              mountPath: "/v",
              mountPropagation: "HostToContainer",
              subPathExpr: "$(POD)",
            },
          ],
          securityContext: {
            capabilities: { drop: ["ALL"] },
            runAsGroup: 3000,
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            seccompProfile: { type: "RuntimeDefault" },
          },
          stdinOnce: true,
        },
      ],
      activeDeadlineSeconds: 60,
      serviceAccount: "legacy-sa",
      automountServiceAccountToken: false,
      hostPID: true,
      hostIPC: true,
      shareProcessNamespace: true,
      securityContext: {
        runAsGroup: 3000,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "Localhost", localhostProfile: "p.json" },
      },
      imagePullSecrets: [{ name: "pull-secret" }],
      hostname: "host",
      subdomain: "sub",
      tolerations: [{ key: "k", value: "v" }],
      priorityClassName: "high",
      priority: 1000,
      runtimeClassName: "gvisor",
      enableServiceLinks: false,
      preemptionPolicy: "Never",
      overhead: { cpu: "100m" },
      setHostnameAsFQDN: true,
      hostUsers: false,
    });
  });

  it("reads a pod's supplementalGroups packed or not", () => {
    const packed = Buffer.from([0x05, 0xe8, 0x07]); // 5, 1000
    const body = (groups: Buffer) =>
      kubernetesBody(
        "v1",
        "Pod",
        msg(2, msg(14, int(2, 1000), int(3, true), groups, int(5, 2000))),
      );
    const expected = {
      runAsUser: 1000,
      runAsNonRoot: true,
      supplementalGroups: [5, 1000],
      fsGroup: 2000,
    };
    const spec = (b: Buffer) =>
      (decodeKubernetesProtobuf(b).spec as Record<string, unknown>).securityContext;
    expect(spec(body(bytes(4, packed)))).to.deep.equal(expected);
    expect(spec(body(message(int(4, 5), int(4, 1000))))).to.deep.equal(expected);
  });

  it("accepts empty fields the table does not list, as Go writes them", () => {
    // Container 10 (livenessProbe) and 99 (a field of some later release), PodSpec 18 (affinity).
    const body = kubernetesBody(
      "v1",
      "Pod",
      msg(2, msg(2, str(1, "c"), msg(10), int(99, 0)), msg(18)),
    );
    expect(decodeKubernetesProtobuf(body).spec).to.deep.equal({
      containers: [{ name: "c", resources: {} }],
    });
  });
});

// Request bodies captured from the real kubectl 1.32.5 and 1.33.1 (byte-identical between the two)
// by a recording HTTP server on 127.0.0.1. `expected` is the JSON body kubectl 1.31 sends for the
// same command (which also equals `--dry-run=client -o json`): what the decoder must reproduce.
// drain's bodies are its DELETE fallback for a server without the eviction subresource.

export interface CapturedBody {
  name: string;
  command: string;
  method: "POST" | "DELETE";
  path: string;
  /** base64 of the request body, Content-Type application/vnd.kubernetes.protobuf. */
  body: string;
  expected: Record<string, unknown>;
}

export const capturedBodies: CapturedBody[] = [
  {
    name: "namespace",
    command: "kubectl create namespace ns1",
    method: "POST",
    path: "/api/v1/namespaces",
    body: "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhsKEwoDbnMxEgAaACIAKgAyADgAQgASABoCCgAaACIA",
    expected: {
      kind: "Namespace",
      apiVersion: "v1",
      metadata: { name: "ns1", creationTimestamp: null },
      spec: {},
      status: {},
    },
  },
  {
    name: "configmap-literals",
    command: "kubectl create configmap cm1 --from-literal=a=b --from-literal=k2=v2",
    method: "POST",
    path: "/api/v1/namespaces/default/configmaps",
    body: "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEicKEwoDY20xEgAaACIAKgAyADgAQgASBgoBYRIBYhIICgJrMhICdjIaACIA",
    expected: {
      kind: "ConfigMap",
      apiVersion: "v1",
      metadata: { name: "cm1", creationTimestamp: null },
      data: { a: "b", k2: "v2" },
    },
  },
  {
    name: "configmap-binary",
    // raw.bin holds the bytes 00 ff 01 "binary", text.txt holds "hello\n".
    command: "kubectl create configmap cm2 --from-file=raw.bin --from-file=text.txt",
    method: "POST",
    path: "/api/v1/namespaces/default/configmaps",
    body: "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEj8KEwoDY20yEgAaACIAKgAyADgAQgASEgoIdGV4dC50eHQSBmhlbGxvChoUCgdyYXcuYmluEgkA/wFiaW5hcnkaACIA",
    expected: {
      kind: "ConfigMap",
      apiVersion: "v1",
      metadata: { name: "cm2", creationTimestamp: null },
      data: { "text.txt": "hello\n" },
      binaryData: { "raw.bin": "AP8BYmluYXJ5" },
    },
  },
  {
    name: "secret-generic",
    command: "kubectl create secret generic s --from-literal=a=b",
    method: "POST",
    path: "/api/v1/namespaces/default/secrets",
    body: "azhzAAoMCgJ2MRIGU2VjcmV0Eh0KEQoBcxIAGgAiACoAMgA4AEIAEgYKAWESAWIaABoAIgA=",
    expected: {
      kind: "Secret",
      apiVersion: "v1",
      metadata: { name: "s", creationTimestamp: null },
      data: { a: "Yg==" },
    },
  },
  {
    name: "secret-docker-registry",
    command:
      "kubectl create secret docker-registry reg --docker-server=registry.example --docker-username=u --docker-password=p",
    method: "POST",
    path: "/api/v1/namespaces/default/secrets",
    body: "azhzAAoMCgJ2MRIGU2VjcmV0EpgBChMKA3JlZxIAGgAiACoAMgA4AEIAEmEKES5kb2NrZXJjb25maWdqc29uEkx7ImF1dGhzIjp7InJlZ2lzdHJ5LmV4YW1wbGUiOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiYXV0aCI6ImRUcHcifX19Gh5rdWJlcm5ldGVzLmlvL2RvY2tlcmNvbmZpZ2pzb24aACIA",
    expected: {
      kind: "Secret",
      apiVersion: "v1",
      metadata: { name: "reg", creationTimestamp: null },
      data: {
        ".dockerconfigjson":
          "eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlIjp7InVzZXJuYW1lIjoidSIsInBhc3N3b3JkIjoicCIsImF1dGgiOiJkVHB3In19fQ==",
      },
      type: "kubernetes.io/dockerconfigjson",
    },
  },
  {
    name: "deployment-web",
    command: "kubectl create deployment web --image=nginx:1.27 --replicas=2 --port=80",
    method: "POST",
    path: "/apis/apps/v1/namespaces/default/deployments",
    body: "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Er0BCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEosBCAISDAoKCgNhcHASA3dlYhpxChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViElESMwoFbmdpbngSCm5naW54OjEuMjcqADIKCgAQABhQIgAqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAoADgAGgAiAA==",
    expected: {
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
    },
  },
  {
    name: "deployment-command",
    command: "kubectl create deployment cmd --image=busybox -- sleep 3600",
    method: "POST",
    path: "/apis/apps/v1/namespaces/default/deployments",
    body: "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Er0BCh8KA2NtZBIAGgAiACoAMgA4AEIAWgoKA2FwcBIDY21kEosBCAESDAoKCgNhcHASA2NtZBpxChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDY21kElESMwoHYnVzeWJveBIHYnVzeWJveBoFc2xlZXAaBDM2MDAqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAoADgAGgAiAA==",
    expected: {
      kind: "Deployment",
      apiVersion: "apps/v1",
      metadata: { name: "cmd", creationTimestamp: null, labels: { app: "cmd" } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "cmd" } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: "cmd" } },
          spec: {
            containers: [
              { name: "busybox", image: "busybox", command: ["sleep", "3600"], resources: {} },
            ],
          },
        },
        strategy: {},
      },
      status: {},
    },
  },
  {
    name: "deployment-zero-replicas",
    command: "kubectl create deployment zero --image=busybox --replicas=0",
    method: "POST",
    path: "/apis/apps/v1/namespaces/default/deployments",
    body: "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50ErQBCiEKBHplcm8SABoAIgAqADIAOABCAFoLCgNhcHASBHplcm8SgAEIABINCgsKA2FwcBIEemVybxplCh0KABIAGgAiACoAMgA4AEIAWgsKA2FwcBIEemVybxJEEiYKB2J1c3lib3gSB2J1c3lib3gqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAoADgAGgAiAA==",
    expected: {
      kind: "Deployment",
      apiVersion: "apps/v1",
      metadata: { name: "zero", creationTimestamp: null, labels: { app: "zero" } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "zero" } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: "zero" } },
          spec: { containers: [{ name: "busybox", image: "busybox", resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    },
  },
  {
    name: "service-clusterip",
    command: "kubectl create service clusterip svc1 --tcp=80:8080",
    method: "POST",
    path: "/api/v1/namespaces/default/services",
    body: "azhzAAoNCgJ2MRIHU2VydmljZRJsCiEKBHN2YzESABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzESQwobCgc4MC04MDgwEgNUQ1AYUCIHCAAQkD8aACgAEgsKA2FwcBIEc3ZjMRoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==",
    expected: {
      kind: "Service",
      apiVersion: "v1",
      metadata: { name: "svc1", creationTimestamp: null, labels: { app: "svc1" } },
      spec: {
        ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 }],
        selector: { app: "svc1" },
        type: "ClusterIP",
      },
      status: { loadBalancer: {} },
    },
  },
  {
    name: "service-nodeport",
    command: "kubectl create service nodeport np1 --tcp=80:8080 --node-port=30080",
    method: "POST",
    path: "/api/v1/namespaces/default/services",
    body: "azhzAAoNCgJ2MRIHU2VydmljZRJqCh8KA25wMRIAGgAiACoAMgA4AEIAWgoKA2FwcBIDbnAxEkMKHQoHODAtODA4MBIDVENQGFAiBwgAEJA/GgAogOsBEgoKA2FwcBIDbnAxGgAiCE5vZGVQb3J0OgBCAFIAWgBgAGgAGgIKABoAIgA=",
    expected: {
      kind: "Service",
      apiVersion: "v1",
      metadata: { name: "np1", creationTimestamp: null, labels: { app: "np1" } },
      spec: {
        ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080, nodePort: 30080 }],
        selector: { app: "np1" },
        type: "NodePort",
      },
      status: { loadBalancer: {} },
    },
  },
  {
    name: "service-externalname",
    command: "kubectl create service externalname en1 --external-name=example.com",
    method: "POST",
    path: "/api/v1/namespaces/default/services",
    body: "azhzAAoNCgJ2MRIHU2VydmljZRJaCh8KA2VuMRIAGgAiACoAMgA4AEIAWgoKA2FwcBIDZW4xEjMSCgoDYXBwEgNlbjEaACIMRXh0ZXJuYWxOYW1lOgBCAFILZXhhbXBsZS5jb21aAGAAaAAaAgoAGgAiAA==",
    expected: {
      kind: "Service",
      apiVersion: "v1",
      metadata: { name: "en1", creationTimestamp: null, labels: { app: "en1" } },
      spec: { selector: { app: "en1" }, type: "ExternalName", externalName: "example.com" },
      status: { loadBalancer: {} },
    },
  },
  {
    name: "serviceaccount",
    command: "kubectl create serviceaccount sa1",
    method: "POST",
    path: "/api/v1/namespaces/default/serviceaccounts",
    body: "azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSFQoTCgNzYTESABoAIgAqADIAOABCABoAIgA=",
    expected: {
      kind: "ServiceAccount",
      apiVersion: "v1",
      metadata: { name: "sa1", creationTimestamp: null },
    },
  },
  {
    name: "drain-delete-grace-5",
    command: "kubectl drain node1 --force --grace-period=5",
    method: "DELETE",
    path: "/api/v1/namespaces/default/pods/p1",
    body: "azhzAAoTCgJ2MRINRGVsZXRlT3B0aW9ucxICCAUaACIA",
    expected: { kind: "DeleteOptions", apiVersion: "v1", gracePeriodSeconds: 5 },
  },
  {
    name: "drain-delete-default",
    command: "kubectl drain node1 --force",
    method: "DELETE",
    path: "/api/v1/namespaces/default/pods/p1",
    body: "azhzAAoTCgJ2MRINRGVsZXRlT3B0aW9ucxIAGgAiAA==",
    expected: { kind: "DeleteOptions", apiVersion: "v1" },
  },
  {
    name: "drain-delete-grace-0",
    command: "kubectl drain node1 --force --grace-period=0",
    method: "DELETE",
    path: "/api/v1/namespaces/default/pods/p1",
    body: "azhzAAoTCgJ2MRINRGVsZXRlT3B0aW9ucxICCAAaACIA",
    expected: { kind: "DeleteOptions", apiVersion: "v1", gracePeriodSeconds: 0 },
  },
];

import { expect } from "chai";
import { defaultPullPolicy } from "../../../../controller/resources/defaults/image-pull-policy.js";
import { kind, minimalPod, stored } from "./fixtures/kinds.js";
import { load, probedPodYaml } from "./fixtures/manifests.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- reading defaulted JSON */

describe("controller/resources pod defaults", () => {
  it("fills the fields Kubernetes defaults on a minimal pod", () => {
    const pod = stored("pods", minimalPod()) as any;
    expect(pod.spec).to.deep.equal({
      containers: [
        {
          name: "web",
          image: "nginx:1.27",
          terminationMessagePath: "/dev/termination-log",
          terminationMessagePolicy: "File",
          imagePullPolicy: "IfNotPresent",
        },
      ],
      dnsPolicy: "ClusterFirst",
      restartPolicy: "Always",
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      schedulerName: "default-scheduler",
      enableServiceLinks: true,
    });
    expect(pod.status).to.deep.equal({ phase: "Pending", qosClass: "BestEffort" });
  });

  it("pulls latest or untagged images Always, tagged or digested ones IfNotPresent", () => {
    expect(defaultPullPolicy("nginx")).to.equal("Always");
    expect(defaultPullPolicy("nginx:latest")).to.equal("Always");
    expect(defaultPullPolicy("localhost:5000/team/app")).to.equal("Always");
    expect(defaultPullPolicy("localhost:5000/team/app:v2")).to.equal("IfNotPresent");
    expect(defaultPullPolicy("busybox@sha256:0123")).to.equal("IfNotPresent");
    expect(defaultPullPolicy("busybox:1.36@sha256:0123")).to.equal("IfNotPresent");
    expect(defaultPullPolicy("")).to.equal("IfNotPresent");
  });

  it("keeps what the user set", () => {
    const pod = minimalPod() as any;
    pod.spec.restartPolicy = "Never";
    pod.spec.containers[0].imagePullPolicy = "Never";
    pod.spec.terminationGracePeriodSeconds = 5;
    stored("pods", pod);
    expect(pod.spec.restartPolicy).to.equal("Never");
    expect(pod.spec.containers[0].imagePullPolicy).to.equal("Never");
    expect(pod.spec.terminationGracePeriodSeconds).to.equal(5);
  });

  it("defaults ports, probes, env field refs and volume modes", () => {
    const pod = stored("pods", load(probedPodYaml)) as any;
    const c = pod.spec.containers[0];
    expect(c.readinessProbe).to.deep.equal({
      httpGet: { path: "/ready", port: 8080, scheme: "HTTPS" },
      successThreshold: 2,
      timeoutSeconds: 1,
      periodSeconds: 10,
      failureThreshold: 3,
    });
    expect(c.lifecycle.postStart.httpGet).to.deep.equal({
      path: "/started",
      port: 8080,
      scheme: "HTTP",
    });
    expect(pod.spec.volumes[1].secret.defaultMode).to.equal(256);
    expect(pod.spec.volumes[3].projected.defaultMode).to.equal(420);
    expect(pod.spec.volumes[4].downwardAPI.items[0].fieldRef.apiVersion).to.equal("v1");
    expect(pod.spec.volumes[2].hostPath.type).to.equal("Directory");
    expect(pod.spec.enableServiceLinks).to.equal(false);

    const withPort = minimalPod() as any;
    withPort.spec.containers[0].ports = [{ containerPort: 80 }];
    withPort.spec.volumes = [{ name: "scratch" }, { name: "cm", configMap: { name: "x" } }];
    stored("pods", withPort);
    expect(withPort.spec.containers[0].ports).to.deep.equal([
      { containerPort: 80, protocol: "TCP" },
    ]);
    expect(withPort.spec.volumes).to.deep.equal([
      { name: "scratch", emptyDir: {} },
      { name: "cm", configMap: { name: "x", defaultMode: 420 } },
    ]);
  });

  it("defaults requests to limits and derives the QoS class", () => {
    const pod = stored("pods", load(probedPodYaml)) as any;
    expect(pod.spec.containers[0].resources.requests).to.deep.equal({
      cpu: "500m",
      memory: "128Mi",
      "ephemeral-storage": "1Gi",
    });
    expect(pod.status.qosClass).to.equal("Guaranteed");

    const burstable = minimalPod() as any;
    burstable.spec.containers[0].resources = { requests: { cpu: "0.1" } };
    stored("pods", burstable);
    expect(burstable.status.qosClass).to.equal("Burstable");
    expect(burstable.spec.containers[0].resources.requests.cpu).to.equal("100m");
  });

  it("copies containerPort to hostPort on the host network", () => {
    const pod = minimalPod() as any;
    pod.spec.hostNetwork = true;
    pod.spec.containers[0].ports = [{ containerPort: 8080 }];
    stored("pods", pod);
    expect(pod.spec.containers[0].ports[0]).to.deep.equal({
      containerPort: 8080,
      hostPort: 8080,
      protocol: "TCP",
    });
  });

  it("leaves an existing phase alone and survives fields of the wrong type", () => {
    const pod = minimalPod() as any;
    pod.status = { phase: "Running" };
    kind("pods").applyDefaults(pod);
    expect(pod.status.phase).to.equal("Running");

    const broken = {
      metadata: { name: "x" },
      spec: { containers: "nope", volumes: 7 },
      status: [],
    } as any;
    expect(() => kind("pods").applyDefaults(broken)).to.not.throw();
    expect(() => kind("pods").applyDefaults({ spec: 5 } as any)).to.not.throw();
  });
});

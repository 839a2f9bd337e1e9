import { expect } from "chai";
import { cause, clone, create, stored, update } from "./fixtures/kinds.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- editing services */

const service = (): any => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "web", namespace: "default" },
  spec: { selector: { app: "web" }, ports: [{ port: 80 }] },
});

describe("controller/resources services", () => {
  it("defaults type, affinity, protocol, targetPort and traffic policy", () => {
    const svc = stored("services", service()) as any;
    expect(svc.spec).to.deep.equal({
      selector: { app: "web" },
      ports: [{ port: 80, protocol: "TCP", targetPort: 80 }],
      sessionAffinity: "None",
      type: "ClusterIP",
      internalTrafficPolicy: "Cluster",
      ipFamilyPolicy: "SingleStack",
      ipFamilies: ["IPv4"],
    });
  });

  it("keeps a named targetPort and defaults NodePort and ClientIP extras", () => {
    const s = service();
    s.spec.type = "NodePort";
    s.spec.sessionAffinity = "ClientIP";
    s.spec.ports = [{ name: "http", port: 80, targetPort: "http" }];
    stored("services", s);
    expect(s.spec.ports[0].targetPort).to.equal("http");
    expect(s.spec.externalTrafficPolicy).to.equal("Cluster");
    expect(s.spec.sessionAffinityConfig).to.deep.equal({ clientIP: { timeoutSeconds: 10800 } });
  });

  it("checks type, ports, names and protocols", () => {
    const s = service();
    s.spec.type = "Internal";
    s.spec.ports = [
      { port: 0, protocol: "ICMP" },
      { name: "b", port: 443, targetPort: "-bad" },
    ];
    expect(create("services", s)).to.deep.equal([
      cause(
        "FieldValueNotSupported",
        "spec.type",
        'Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ),
      cause("FieldValueRequired", "spec.ports[0].name", "Required value"),
      cause(
        "FieldValueInvalid",
        "spec.ports[0].port",
        "Invalid value: 0: must be between 1 and 65535, inclusive",
      ),
      cause(
        "FieldValueNotSupported",
        "spec.ports[0].protocol",
        'Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      ),
      cause(
        "FieldValueInvalid",
        "spec.ports[0].targetPort",
        "Invalid value: 0: must be between 1 and 65535, inclusive",
      ),
      cause(
        "FieldValueInvalid",
        "spec.ports[1].targetPort",
        'Invalid value: "-bad": must not begin or end with a hyphen',
      ),
    ]);
  });

  it("requires ports except for headless and ExternalName services", () => {
    const s = service();
    s.spec.ports = [];
    expect(create("services", s)).to.deep.equal([
      cause("FieldValueRequired", "spec.ports", "Required value"),
    ]);
    const headless = service();
    headless.spec = { clusterIP: "None", selector: { app: "web" } };
    expect(create("services", headless)).to.deep.equal([]);
    const external = service();
    external.spec = { type: "ExternalName" };
    expect(create("services", external)).to.deep.equal([
      cause("FieldValueRequired", "spec.externalName", "Required value"),
    ]);
  });

  it("refuses a malformed cluster IP and a changed one", () => {
    const s = service();
    s.spec.clusterIP = "10.0.0.300";
    expect(create("services", s)).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.clusterIPs[0]",
        'Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ),
    ]);
    const old = service();
    old.spec.clusterIP = "10.96.0.10";
    stored("services", old);
    const kept = clone(old);
    delete kept.spec.clusterIP;
    delete kept.spec.clusterIPs;
    expect(update("services", kept, old)).to.deep.equal([]);
    const changed = clone(old);
    changed.spec.clusterIP = "10.96.0.11";
    expect(update("services", changed, old)).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.clusterIPs[0]",
        'Invalid value: []string{"10.96.0.11"}: may not change once set',
      ),
    ]);
  });
});

import { expect } from "chai";
import type { KubeObject } from "../../../../../controller/resources/kube-object.js";
import { serviceTable } from "../../../../../controller/resources/tables/services-table.js";
import { ago, cellsByName, columnShapes, now } from "./table-fixtures.js";

function service(spec: object, status: object = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "default", creationTimestamp: ago(7200) },
    spec,
    status,
  };
}

function cells(s: KubeObject): Record<string, unknown> {
  return cellsByName(serviceTable, serviceTable.row(s, now));
}

describe("controller/resources/tables services-table", () => {
  it("has kubectl's service columns, Selector only with -o wide", () => {
    expect(columnShapes(serviceTable)).to.deep.equal([
      ["Name", "string", 0],
      ["Type", "string", 0],
      ["Cluster-IP", "string", 0],
      ["External-IP", "string", 0],
      ["Port(s)", "string", 0],
      ["Age", "string", 0],
      ["Selector", "string", 1],
    ]);
  });

  it("prints a ClusterIP service", () => {
    const s = service({
      type: "ClusterIP",
      clusterIP: "10.96.0.12",
      clusterIPs: ["10.96.0.12"],
      ports: [
        { name: "http", port: 80, protocol: "TCP", targetPort: 8080 },
        { name: "dns", port: 53, protocol: "UDP" },
      ],
      selector: { tier: "frontend", app: "web" },
    });
    expect(serviceTable.row(s, now)).to.deep.equal([
      "web",
      "ClusterIP",
      "10.96.0.12",
      "<none>",
      "80/TCP,53/UDP",
      "120m",
      "app=web,tier=frontend",
    ]);
  });

  it("prints node ports as port:nodePort/protocol", () => {
    const s = service({
      type: "NodePort",
      clusterIP: "10.96.0.20",
      ports: [
        { port: 80, nodePort: 30080, protocol: "TCP" },
        { port: 443, nodePort: 30443, protocol: "TCP" },
      ],
      externalIPs: ["203.0.113.5"],
    });
    expect(cells(s)).to.include({
      "Cluster-IP": "10.96.0.20",
      "External-IP": "203.0.113.5",
      "Port(s)": "80:30080/TCP,443:30443/TCP",
      Selector: "<none>",
    });
  });

  it("prints a load balancer's sorted ingress addresses, then external IPs, or <pending>", () => {
    const spec = {
      type: "LoadBalancer",
      clusterIP: "10.96.0.30",
      ports: [{ port: 80, protocol: "TCP" }],
    };
    const ingress = {
      loadBalancer: {
        ingress: [{ ip: "198.51.100.9" }, { hostname: "lb.example.com" }, { ip: "198.51.100.2" }],
      },
    };
    expect(cells(service(spec, ingress))["External-IP"]).to.equal(
      "198.51.100.2,198.51.100.9,lb.example.com",
    );
    expect(
      cells(service({ ...spec, externalIPs: ["203.0.113.5"] }, ingress))["External-IP"],
    ).to.equal("198.51.100.2,198.51.100.9,lb.example.com,203.0.113.5");
    expect(cells(service(spec))["External-IP"]).to.equal("<pending>");
  });

  it("prints a headless service's None, an ExternalName's target, and <none> without ports", () => {
    expect(
      cells(service({ type: "ClusterIP", clusterIP: "None", clusterIPs: ["None"] })),
    ).to.include({
      "Cluster-IP": "None",
      "Port(s)": "<none>",
    });
    expect(cells(service({ type: "ExternalName", externalName: "db.example.com" }))).to.include({
      "Cluster-IP": "<none>",
      "External-IP": "db.example.com",
    });
  });
});

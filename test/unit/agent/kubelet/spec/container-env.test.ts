import { expect } from "chai";
import type { ConfigMap, Pod, Secret } from "../../../../../agent/kube/types.js";
import {
  containerEnv,
  type ConfigSources,
} from "../../../../../agent/kubelet/spec/container-env.js";
import { isBerthError } from "../../../../../lib/errors.js";
import { makePod } from "./pod-fixture.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

function sources(configMaps: Record<string, ConfigMap>, secrets: Record<string, Secret> = {}) {
  const reads: string[] = [];
  const s: ConfigSources = {
    configMap: async (ns, name) => {
      reads.push(`cm ${ns}/${name}`);
      return configMaps[name];
    },
    secret: async (ns, name) => {
      reads.push(`secret ${ns}/${name}`);
      return secrets[name];
    },
  };
  return { sources: s, reads };
}

async function envOf(pod: Pod, s = sources({}).sources, serviceEnv?: Record<string, string>) {
  const result = await containerEnv({
    pod,
    container: pod.spec!.containers[0],
    network: { podIPs: ["10.0.0.5"], hostIPs: ["192.168.1.2"] },
    allocatable: { cpu: "2", memory: "4Gi" },
    sources: s,
    serviceEnv,
  });
  return {
    env: Object.fromEntries(result.vars),
    order: [...result.vars.keys()],
    events: result.events,
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

const withEnv = (
  env: NonNullable<Pod["spec"]>["containers"][0]["env"],
  envFrom?: NonNullable<Pod["spec"]>["containers"][0]["envFrom"],
) => makePod({ containers: [{ name: "app", image: "busybox", env, envFrom }] });

describe("agent/kubelet/spec container env", () => {
  it("keeps env in declared order, expanding $(VAR) against earlier variables only", async () => {
    const { env, order } = await envOf(
      withEnv([
        { name: "A", value: "a" },
        { name: "B", value: "$(A)-$(C)" },
        { name: "C", value: "c" },
        { name: "D", value: "$$(A)" },
      ]),
    );
    expect(order).to.deep.equal(["A", "B", "C", "D"]);
    expect(env).to.deep.equal({ A: "a", B: "a-$(C)", C: "c", D: "$(A)" });
  });

  it("lets env override envFrom, in the envFrom variable's place", async () => {
    const { sources: s } = sources({ cfg: { data: { LEVEL: "debug", MODE: "x" } } });
    const { env, order } = await envOf(
      withEnv(
        [
          { name: "MODE", value: "y" },
          { name: "OWN", value: "$(LEVEL)" },
        ],
        [{ configMapRef: { name: "cfg" } }],
      ),
      s,
    );
    expect(env).to.deep.equal({ LEVEL: "debug", MODE: "y", OWN: "debug" });
    expect(order).to.deep.equal(["LEVEL", "MODE", "OWN"]);
  });

  it("prefixes envFrom keys and skips invalid names with an InvalidEnvironmentVariableNames event", async () => {
    const { sources: s } = sources(
      { cfg: { data: { "1BAD": "x", GOOD: "g", "a.b-c": "ok" } } },
      { creds: { data: { TOKEN: b64("t0k") } } },
    );
    const { env, events } = await envOf(
      withEnv(undefined, [
        { configMapRef: { name: "cfg" } },
        { prefix: "S_", secretRef: { name: "creds" } },
      ]),
      s,
    );
    expect(env).to.deep.equal({ GOOD: "g", "a.b-c": "ok", S_TOKEN: "t0k" });
    expect(events).to.deep.equal([
      {
        type: "Warning",
        reason: "InvalidEnvironmentVariableNames",
        message:
          "Keys [1BAD] from the EnvFrom configMap default/cfg were skipped since they are considered invalid environment variable names.",
      },
    ]);
  });

  it("resolves fieldRef and resourceFieldRef values without expanding them", async () => {
    const pod = withEnv([
      { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
      {
        name: "MEM",
        valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } },
      },
    ]);
    pod.metadata!.name = "$(IP)";
    const { env } = await envOf(pod);
    expect(env).to.deep.equal({ POD: "$(IP)", IP: "10.0.0.5", MEM: "4096" });
  });

  it("reads configMapKeyRef and secretKeyRef (secrets base64-decoded), each object once", async () => {
    const { sources: s, reads } = sources(
      { cfg: { data: { host: "db", port: "5432" } } },
      { creds: { data: { password: b64("s3cret") } } },
    );
    const { env } = await envOf(
      withEnv([
        { name: "HOST", valueFrom: { configMapKeyRef: { name: "cfg", key: "host" } } },
        { name: "PORT", valueFrom: { configMapKeyRef: { name: "cfg", key: "port" } } },
        { name: "PASS", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } },
      ]),
      s,
    );
    expect(env).to.deep.equal({ HOST: "db", PORT: "5432", PASS: "s3cret" });
    expect(reads).to.deep.equal(["cm default/cfg", "secret default/creds"]);
  });

  it("leaves out a variable whose optional ConfigMap, Secret or key is missing", async () => {
    const { sources: s } = sources({ cfg: { data: {} } });
    const { env } = await envOf(
      withEnv(
        [
          { name: "A", valueFrom: { configMapKeyRef: { name: "nope", key: "k", optional: true } } },
          { name: "B", valueFrom: { configMapKeyRef: { name: "cfg", key: "k", optional: true } } },
          { name: "C", valueFrom: { secretKeyRef: { name: "nope", key: "k", optional: true } } },
          { name: "D", value: "" },
        ],
        [{ configMapRef: { name: "gone", optional: true } }],
      ),
      s,
    );
    expect(env).to.deep.equal({ D: "" });
  });

  it("fails on a missing required key, naming the key, the ConfigMap and the field", async () => {
    const { sources: s } = sources({ cfg: { data: {} } });
    const err = await rejection(
      envOf(
        withEnv([
          { name: "X", value: "1" },
          { name: "HOST", valueFrom: { configMapKeyRef: { name: "cfg", key: "host" } } },
        ]),
        s,
      ),
    );
    expect(isBerthError(err, "FailedPrecondition")).to.equal(true);
    expect(err.message).to.equal("couldn't find key host in ConfigMap default/cfg");
    expect((err as { field?: string }).field).to.equal(
      "spec.containers[0].env[1].valueFrom.configMapKeyRef.key",
    );
  });

  it("fails on a missing required Secret or envFrom ConfigMap as NotFound", async () => {
    const secretErr = await rejection(
      envOf(withEnv([{ name: "P", valueFrom: { secretKeyRef: { name: "creds", key: "p" } } }])),
    );
    expect(isBerthError(secretErr, "NotFound")).to.equal(true);
    expect(secretErr.message).to.equal('secret "creds" not found');
    const cmErr = await rejection(envOf(withEnv(undefined, [{ configMapRef: { name: "cfg" } }])));
    expect(cmErr.message).to.equal('configmap "cfg" not found');
    expect((cmErr as { field?: string }).field).to.equal("spec.containers[0].envFrom[0]");
  });

  it("passes on a lookup failure other than not-found", async () => {
    const failing: ConfigSources = {
      configMap: async () => {
        throw new Error("API unavailable");
      },
      secret: async () => undefined,
    };
    const err = await rejection(
      envOf(
        withEnv([{ name: "A", valueFrom: { configMapKeyRef: { name: "c", key: "k" } } }]),
        failing,
      ),
    );
    expect(err.message).to.equal("API unavailable");
  });

  it("expands against service variables and appends those not set otherwise", async () => {
    const { env, order } = await envOf(
      withEnv([
        { name: "URL", value: "http://$(KUBERNETES_SERVICE_HOST)" },
        { name: "KUBERNETES_PORT", value: "mine" },
      ]),
      undefined,
      { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_PORT: "tcp://10.96.0.1:443" },
    );
    expect(env).to.deep.equal({
      URL: "http://10.96.0.1",
      KUBERNETES_PORT: "mine",
      KUBERNETES_SERVICE_HOST: "10.96.0.1",
    });
    expect(order).to.deep.equal(["URL", "KUBERNETES_PORT", "KUBERNETES_SERVICE_HOST"]);
  });
});

import { expect } from "chai";
import type { Container, Pod } from "../../../../../agent/kube/types.js";
import { podNamespaceOptions } from "../../../../../agent/kubelet/spec/namespace-options.js";
import {
  containerSecurityContext,
  defaultMaskedPaths,
  defaultReadonlyPaths,
} from "../../../../../agent/kubelet/spec/security-context.js";
import { makePod } from "./pod-fixture.js";

function scFor(
  container: Partial<Container>,
  spec: Partial<NonNullable<Pod["spec"]>> = {},
  seccomp = {},
) {
  const c: Container = { name: "app", image: "busybox", ...container };
  const pod = makePod({ containers: [c], ...spec });
  return containerSecurityContext(pod, c, seccomp);
}

describe("agent/kubelet/spec namespace options", () => {
  it("gives the pod its own network and IPC, and each container its own PID namespace", () => {
    expect(podNamespaceOptions(makePod())).to.deep.equal({
      network: "POD",
      pid: "CONTAINER",
      ipc: "POD",
    });
  });

  it("shares one PID namespace in the pod with shareProcessNamespace", () => {
    expect(podNamespaceOptions(makePod({ shareProcessNamespace: true })).pid).to.equal("POD");
  });

  it("uses the node's namespaces with hostNetwork, hostPID and hostIPC", () => {
    expect(
      podNamespaceOptions(
        makePod({ hostNetwork: true, hostPID: true, hostIPC: true, shareProcessNamespace: true }),
      ),
    ).to.deep.equal({ network: "NODE", pid: "NODE", ipc: "NODE" });
  });
});

describe("agent/kubelet/spec container security context", () => {
  it("for a plain container: unprivileged, default masked and read-only paths, Unconfined seccomp", () => {
    expect(scFor({})).to.deep.equal({
      privileged: false,
      readonly_rootfs: false,
      seccomp: { profile_type: "Unconfined" },
      namespace_options: { network: "POD", pid: "CONTAINER", ipc: "POD" },
      supplemental_groups: [],
      no_new_privs: false,
      masked_paths: [...defaultMaskedPaths],
      readonly_paths: [...defaultReadonlyPaths],
    });
  });

  it("passes privileged, readOnlyRootFilesystem and capabilities through", () => {
    const sc = scFor({
      securityContext: {
        privileged: true,
        readOnlyRootFilesystem: true,
        capabilities: { add: ["NET_ADMIN"], drop: ["ALL"] },
      },
    });
    expect(sc.privileged).to.equal(true);
    expect(sc.readonly_rootfs).to.equal(true);
    expect(sc.capabilities).to.deep.equal({
      add_capabilities: ["NET_ADMIN"],
      drop_capabilities: ["ALL"],
    });
  });

  it("takes runAsUser and runAsGroup from the container, else from the pod", () => {
    const fromPod = scFor({}, { securityContext: { runAsUser: 1000, runAsGroup: 3000 } });
    expect(fromPod.run_as_user).to.deep.equal({ value: "1000" });
    expect(fromPod.run_as_group).to.deep.equal({ value: "3000" });
    const own = scFor(
      { securityContext: { runAsUser: 2000 } },
      { securityContext: { runAsUser: 1000 } },
    );
    expect(own.run_as_user).to.deep.equal({ value: "2000" });
    expect(scFor({})).not.to.have.property("run_as_user");
    expect(scFor({})).not.to.have.property("run_as_username");
  });

  it("adds the pod's fsGroup, then its supplementalGroups", () => {
    const sc = scFor({}, { securityContext: { fsGroup: 2000, supplementalGroups: [4000, 5000] } });
    expect(sc.supplemental_groups).to.deep.equal(["2000", "4000", "5000"]);
  });

  it("sets no_new_privs when allowPrivilegeEscalation is false, not when unset or true", () => {
    expect(scFor({ securityContext: { allowPrivilegeEscalation: false } }).no_new_privs).to.equal(
      true,
    );
    expect(scFor({ securityContext: { allowPrivilegeEscalation: true } }).no_new_privs).to.equal(
      false,
    );
    expect(scFor({}).no_new_privs).to.equal(false);
  });

  it("always allows escalation for privileged containers and those adding CAP_SYS_ADMIN", () => {
    const privileged = scFor({
      securityContext: { allowPrivilegeEscalation: false, privileged: true },
    });
    expect(privileged.no_new_privs).to.equal(false);
    const sysAdmin = scFor({
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { add: ["CAP_SYS_ADMIN"] },
      },
    });
    expect(sysAdmin.no_new_privs).to.equal(false);
  });

  it("unmasks /proc with procMount Unmasked (no masked or read-only paths)", () => {
    const sc = scFor({ securityContext: { procMount: "Unmasked" } });
    expect(sc.masked_paths).to.deep.equal([]);
    expect(sc.readonly_paths).to.deep.equal([]);
  });

  it("takes seccomp from the container, else from the pod", () => {
    const pod = { securityContext: { seccompProfile: { type: "RuntimeDefault" as const } } };
    expect(scFor({}, pod).seccomp).to.deep.equal({ profile_type: "RuntimeDefault" });
    const own = scFor({ securityContext: { seccompProfile: { type: "Unconfined" } } }, pod);
    expect(own.seccomp).to.deep.equal({ profile_type: "Unconfined" });
  });

  it("resolves a Localhost profile under the profile root", () => {
    const sc = scFor(
      {
        securityContext: {
          seccompProfile: { type: "Localhost", localhostProfile: "profiles/audit.json" },
        },
      },
      {},
      { profileRoot: "/var/lib/berth/seccomp" },
    );
    expect(sc.seccomp).to.deep.equal({
      profile_type: "Localhost",
      localhost_ref: "/var/lib/berth/seccomp/profiles/audit.json",
    });
  });

  it("rejects a Localhost profile without a path, or one climbing out of the root", () => {
    expect(() => scFor({ securityContext: { seccompProfile: { type: "Localhost" } } })).to.throw(
      /localhostProfile must be set/,
    );
    expect(() =>
      scFor({
        securityContext: { seccompProfile: { type: "Localhost", localhostProfile: "../x.json" } },
      }),
    ).to.throw(/without '\.\.'/);
  });

  it("defaults to RuntimeDefault when the node runs with --seccomp-default", () => {
    expect(scFor({}, {}, { defaultRuntimeDefault: true }).seccomp).to.deep.equal({
      profile_type: "RuntimeDefault",
    });
  });

  it("uses the node's namespaces like the sandbox", () => {
    expect(scFor({}, { hostNetwork: true, hostPID: true }).namespace_options).to.deep.equal({
      network: "NODE",
      pid: "NODE",
      ipc: "POD",
    });
  });
});

import type { KubeObject } from "../kube-object.js";
import { childObject, objectAt, setDefault, setDefaultText } from "../json-access.js";
import { applyPodSpecDefaults } from "./pod-spec-defaults.js";

/** Template pods get pod-spec defaults (not the pod-only ones: requests from limits, service links). */
function applyTemplateDefaults(spec: Record<string, unknown>): void {
  const template = objectAt(spec.template);
  const podSpec = template && childObject(template, "spec");
  if (podSpec) applyPodSpecDefaults(podSpec);
}

/** apps/v1 SetDefaults_Deployment. */
export function applyDeploymentDefaults(obj: KubeObject): void {
  const spec = childObject(obj, "spec");
  if (!spec) return;
  setDefault(spec, "replicas", 1);
  const strategy = childObject(spec, "strategy");
  if (strategy) {
    setDefaultText(strategy, "type", "RollingUpdate");
    if (strategy.type === "RollingUpdate") {
      const rolling = childObject(strategy, "rollingUpdate");
      if (rolling) {
        setDefault(rolling, "maxUnavailable", "25%");
        setDefault(rolling, "maxSurge", "25%");
      }
    }
  }
  setDefault(spec, "revisionHistoryLimit", 10);
  setDefault(spec, "progressDeadlineSeconds", 600);
  applyTemplateDefaults(spec);
}

/** apps/v1 SetDefaults_ReplicaSet. */
export function applyReplicaSetDefaults(obj: KubeObject): void {
  const spec = childObject(obj, "spec");
  if (!spec) return;
  setDefault(spec, "replicas", 1);
  applyTemplateDefaults(spec);
}

// The patch and apply library the API server calls: pure functions over JSON.
export { applyMergePatch } from "./merge-patch.js";
export { applyJsonPatch } from "./json-patch.js";
export { applyStrategicMergePatch } from "./strategic-merge.js";
export {
  listRulesFor,
  listRulesForObject,
  parseApiVersion,
  type GroupVersionKind,
  type ListRules,
  type ListType,
} from "./merge-keys.js";
export {
  serverSideApply,
  BEFORE_FIRST_APPLY,
  type ApplyOptions,
  type ApplyResult,
} from "./server-side-apply.js";
export { recordUpdateManager } from "./update-manager.js";
export {
  applyConflictStatus,
  describeConflictManager,
  type FieldConflict,
} from "./apply-conflict.js";

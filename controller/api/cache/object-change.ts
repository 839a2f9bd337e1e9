import type { KubeObject } from "../../resources/kube-object.js";

/**
 * One change to one object as watches see it, in API form (kind, apiVersion, resourceVersion
 * filled in). A change from the watch cache is shared by every watcher of its resource: its
 * objects are read-only, and its JSON is encoded once, by the first watcher that sends it.
 */
export class ObjectChange {
  private encoded?: string;
  private deletedForm?: KubeObject;

  constructor(
    readonly type: "put" | "delete",
    /** The object's storage key. */
    readonly key: string,
    /** put: the object as written; delete: the object as it was when deleted. */
    readonly object: KubeObject,
    /** put: the object before (absent for a new one); delete: absent. */
    readonly previous: KubeObject | undefined,
    /** The store revision of the change: the new resourceVersion, or the delete's revision. */
    readonly revision: number,
  ) {}

  /**
   * What a watch sends for it: the object as written, or for a delete the last state with the
   * delete's revision as its resourceVersion (as Kubernetes does).
   */
  get sent(): KubeObject {
    if (this.type === "put") return this.object;
    this.deletedForm ??= {
      ...this.object,
      metadata: { ...this.object.metadata, resourceVersion: String(this.revision) },
    };
    return this.deletedForm;
  }

  /** `sent` as JSON, encoded once. */
  json(): string {
    this.encoded ??= JSON.stringify(this.sent);
    return this.encoded;
  }
}

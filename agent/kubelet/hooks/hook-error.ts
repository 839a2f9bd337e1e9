/** A lifecycle hook that failed, with the message kubelet shows in the hook's event. */
export class HookError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HookError";
  }
}

import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import type {
  ListOptions,
  Store,
  StoreWatchHandlers,
} from "../../../../controller/storage/store.js";
import { MemoryStore } from "../../../support/memory-store.js";

/** A MemoryStore that counts calls by operation and can fail the next watch it starts. */
export class CountingStore extends MemoryStore {
  readonly calls = { get: 0, list: 0, create: 0, update: 0, delete: 0, watch: 0 };
  /** The handlers of every watch started, newest last (to end one from a test). */
  readonly watchHandlers: StoreWatchHandlers[] = [];

  override get(key: string) {
    this.calls.get++;
    return super.get(key);
  }

  override list(prefix: string, options?: ListOptions) {
    this.calls.list++;
    return super.list(prefix, options);
  }

  override create(key: string, value: KubeObject) {
    this.calls.create++;
    return super.create(key, value);
  }

  override update(key: string, value: KubeObject, expected: number) {
    this.calls.update++;
    return super.update(key, value, expected);
  }

  override delete(key: string, expected?: number) {
    this.calls.delete++;
    return super.delete(key, expected);
  }

  override watch(prefix: string, from: number, handlers: StoreWatchHandlers) {
    this.calls.watch++;
    this.watchHandlers.push(handlers);
    return super.watch(prefix, from, handlers);
  }

  reset(): void {
    for (const k of Object.keys(this.calls) as (keyof CountingStore["calls"])[]) this.calls[k] = 0;
  }
}

export type { Store };

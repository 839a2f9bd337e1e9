/** Kubernetes' burstReplicas: at most this many pods are created or deleted per pass. */
export const burstReplicas = 500;

/** Kubernetes' SlowStartInitialBatchSize. */
export const slowStartInitialBatchSize = 1;

/**
 * The batch sizes slowStartBatch uses to create count objects: 1, 2, 4, … with the remainder
 * last. The creator stops at the first batch with a failure and skips the rest, so a broken
 * template costs one failed call instead of hundreds.
 */
export function slowStartBatches(count: number, initial = slowStartInitialBatchSize): number[] {
  const batches: number[] = [];
  let remaining = Math.max(0, Math.floor(count));
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    batches.push(size);
    remaining -= size;
  }
  return batches;
}

import { badRequest } from "../status.js";

// Query parameters as kube-apiserver converts them into option structs (runtime's
// Convert_Slice_string_To_*): a flag is true unless absent, "0" or "false" (so `?follow` is true),
// the first value of a repeated parameter counts, and an integer must be a whole base-10 number.

/** A boolean parameter as Kubernetes reads it. */
export function flagValue(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null) return false;
  return value !== "0" && value.toLowerCase() !== "false";
}

/** An integer parameter, undefined when absent or empty; a 400 naming it when not a number. */
export function integerValue(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  const n = /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw badRequest(`${name}: ${JSON.stringify(value)} is not an integer`);
  }
  return n;
}

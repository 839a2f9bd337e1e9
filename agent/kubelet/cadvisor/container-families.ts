import type { ContainerFamily } from "./family.js";
import { networkFamilies } from "./network-families.js";
import { specFamilies } from "./spec-families.js";
import { usageFamilies } from "./usage-families.js";

/**
 * The container families of the kubelet's /metrics/cadvisor that Berth measures, sorted by
 * name as client_golang gathers them.
 */
export const containerFamilies: ContainerFamily[] = [
  ...usageFamilies,
  ...networkFamilies,
  ...specFamilies,
].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

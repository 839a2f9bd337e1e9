// How many feasible nodes to find before scoring (kube-scheduler's numFeasibleNodesToFind): all of
// a small cluster; of a large one an adaptive percentage, 50% less 1% per 125 nodes, at least 5%,
// and never fewer than 100 nodes.

const minFeasibleNodes = 100;
const minFeasiblePercentage = 5;

export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < minFeasibleNodes) return numAllNodes;
  let percentage = Math.trunc(percentageOfNodesToScore);
  if (percentage <= 0) {
    percentage = Math.max(50 - Math.trunc(numAllNodes / 125), minFeasiblePercentage);
  }
  const numNodes = Math.trunc((numAllNodes * Math.min(percentage, 100)) / 100);
  return Math.max(numNodes, minFeasibleNodes);
}

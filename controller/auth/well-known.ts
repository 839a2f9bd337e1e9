// Kubernetes' well-known user and group names; other components and clients rely on them.

/** Members may do anything (cluster-admin). */
export const mastersGroup = "system:masters";
/** Group of every node identity. */
export const nodesGroup = "system:nodes";
/** Node identities are named system:node:<nodeName>. */
export const nodeUserPrefix = "system:node:";
/** Added to every authenticated user. */
export const authenticatedGroup = "system:authenticated";
/** The namespace of the nodes' heartbeat leases. */
export const nodeLeaseNamespace = "kube-node-lease";

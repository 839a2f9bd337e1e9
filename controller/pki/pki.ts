/** The certificate files the controller serves and verifies clients with. */
export interface Pki {
  /** CA bundle that client certificates must chain to (PEM file). */
  caFile: string;
  /** The same CA bundle, PEM text. */
  caCert: string;
  /** The CA's private key; absent when the CA came from the user (--client-ca-file). */
  caKeyFile?: string;
  serverCertFile: string;
  serverKeyFile: string;
  /** The admin client certificate (CN=berth-admin, O=system:masters); absent for user-supplied files. */
  adminCertFile?: string;
  adminKeyFile?: string;
  /** The client certificate for agents' streaming APIs (CN=berth-apiserver-kubelet-client,
   * O=system:masters); absent for user-supplied files. */
  kubeletClientCertFile?: string;
  kubeletClientKeyFile?: string;
}

/** A PKI this controller made itself: it holds the CA key, so it can issue certificates. */
export interface GeneratedPki extends Pki {
  caKeyFile: string;
  adminCertFile: string;
  adminKeyFile: string;
  kubeletClientCertFile: string;
  kubeletClientKeyFile: string;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

export const adminCommonName = "berth-admin";

/** Who the controller is to agents when it proxies pods/log, exec, attach and portforward. */
export const kubeletClientCommonName = "berth-apiserver-kubelet-client";

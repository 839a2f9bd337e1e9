import { any, arr, bool, int, kindSchema, obj, str, stringMap, strings, time } from "./builders.js";
import { objectMetaSchema } from "./object-meta-schema.js";

export const serviceSchema = kindSchema(objectMetaSchema, {
  spec: obj({
    ports: arr(
      obj({
        name: str,
        protocol: str,
        appProtocol: str,
        port: int,
        targetPort: any,
        nodePort: int,
      }),
    ),
    selector: stringMap,
    clusterIP: str,
    clusterIPs: strings,
    type: str,
    externalIPs: strings,
    sessionAffinity: str,
    loadBalancerIP: str,
    loadBalancerSourceRanges: strings,
    externalName: str,
    externalTrafficPolicy: str,
    healthCheckNodePort: int,
    publishNotReadyAddresses: bool,
    sessionAffinityConfig: obj({ clientIP: obj({ timeoutSeconds: int }) }),
    ipFamilies: strings,
    ipFamilyPolicy: str,
    allocateLoadBalancerNodePorts: bool,
    loadBalancerClass: str,
    internalTrafficPolicy: str,
    trafficDistribution: str,
  }),
  status: obj({
    loadBalancer: obj({
      ingress: arr(
        obj({
          ip: str,
          hostname: str,
          ipMode: str,
          ports: arr(obj({ port: int, protocol: str, error: str })),
        }),
      ),
    }),
    conditions: arr(
      obj({
        type: str,
        status: str,
        observedGeneration: int,
        lastTransitionTime: time,
        reason: str,
        message: str,
      }),
    ),
  }),
});

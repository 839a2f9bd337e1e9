import { any, arr, bool, int, obj, quantityMap, str, stringMap, strings } from "./builders.js";
import { objectFieldSelectorSchema, resourceFieldSelectorSchema } from "./container-schema.js";
import { objectMetaSchema } from "./object-meta-schema.js";
import { labelSelectorSchema, localObjectReferenceSchema } from "./reference-schemas.js";

const secretRef = localObjectReferenceSchema;
const keyToPath = arr(obj({ key: str, path: str, mode: int }));
const downwardApiFiles = arr(
  obj({
    path: str,
    fieldRef: objectFieldSelectorSchema,
    resourceFieldRef: resourceFieldSelectorSchema,
    mode: int,
  }),
);

export const persistentVolumeClaimSpecSchema = obj({
  accessModes: strings,
  selector: labelSelectorSchema,
  resources: obj({ limits: quantityMap, requests: quantityMap }),
  volumeName: str,
  storageClassName: str,
  volumeMode: str,
  dataSource: obj({ apiGroup: str, kind: str, name: str }),
  dataSourceRef: obj({ apiGroup: str, kind: str, name: str, namespace: str }),
  volumeAttributesClassName: str,
});

const projection = obj({
  secret: obj({ name: str, items: keyToPath, optional: bool }),
  downwardAPI: obj({ items: downwardApiFiles }),
  configMap: obj({ name: str, items: keyToPath, optional: bool }),
  serviceAccountToken: obj({ audience: str, expirationSeconds: int, path: str }),
  clusterTrustBundle: obj({
    name: str,
    signerName: str,
    labelSelector: labelSelectorSchema,
    optional: bool,
    path: str,
  }),
  podCertificate: obj({
    signerName: str,
    keyType: str,
    maxExpirationSeconds: int,
    credentialBundlePath: str,
    keyPath: str,
    certificateChainPath: str,
  }),
});

export const volumeSchema = obj({
  name: str,
  hostPath: obj({ path: str, type: str }),
  emptyDir: obj({ medium: str, sizeLimit: any }),
  gcePersistentDisk: obj({ pdName: str, fsType: str, partition: int, readOnly: bool }),
  awsElasticBlockStore: obj({ volumeID: str, fsType: str, partition: int, readOnly: bool }),
  gitRepo: obj({ repository: str, revision: str, directory: str }),
  secret: obj({ secretName: str, items: keyToPath, defaultMode: int, optional: bool }),
  nfs: obj({ server: str, path: str, readOnly: bool }),
  iscsi: obj({
    targetPortal: str,
    iqn: str,
    lun: int,
    iscsiInterface: str,
    fsType: str,
    readOnly: bool,
    portals: strings,
    chapAuthDiscovery: bool,
    chapAuthSession: bool,
    secretRef,
    initiatorName: str,
  }),
  glusterfs: obj({ endpoints: str, path: str, readOnly: bool }),
  persistentVolumeClaim: obj({ claimName: str, readOnly: bool }),
  rbd: obj({
    monitors: strings,
    image: str,
    fsType: str,
    pool: str,
    user: str,
    keyring: str,
    secretRef,
    readOnly: bool,
  }),
  flexVolume: obj({ driver: str, fsType: str, secretRef, readOnly: bool, options: stringMap }),
  cinder: obj({ volumeID: str, fsType: str, readOnly: bool, secretRef }),
  cephfs: obj({
    monitors: strings,
    path: str,
    user: str,
    secretFile: str,
    secretRef,
    readOnly: bool,
  }),
  flocker: obj({ datasetName: str, datasetUUID: str }),
  downwardAPI: obj({ items: downwardApiFiles, defaultMode: int }),
  fc: obj({ targetWWNs: strings, lun: int, fsType: str, readOnly: bool, wwids: strings }),
  azureFile: obj({ secretName: str, shareName: str, readOnly: bool }),
  configMap: obj({ name: str, items: keyToPath, defaultMode: int, optional: bool }),
  vsphereVolume: obj({
    volumePath: str,
    fsType: str,
    storagePolicyName: str,
    storagePolicyID: str,
  }),
  quobyte: obj({
    registry: str,
    volume: str,
    readOnly: bool,
    user: str,
    group: str,
    tenant: str,
  }),
  azureDisk: obj({
    diskName: str,
    diskURI: str,
    cachingMode: str,
    fsType: str,
    readOnly: bool,
    kind: str,
  }),
  photonPersistentDisk: obj({ pdID: str, fsType: str }),
  projected: obj({ sources: arr(projection), defaultMode: int }),
  portworxVolume: obj({ volumeID: str, fsType: str, readOnly: bool }),
  scaleIO: obj({
    gateway: str,
    system: str,
    secretRef,
    sslEnabled: bool,
    protectionDomain: str,
    storagePool: str,
    storageMode: str,
    volumeName: str,
    fsType: str,
    readOnly: bool,
  }),
  storageos: obj({
    volumeName: str,
    volumeNamespace: str,
    fsType: str,
    readOnly: bool,
    secretRef,
  }),
  csi: obj({
    driver: str,
    readOnly: bool,
    fsType: str,
    volumeAttributes: stringMap,
    nodePublishSecretRef: secretRef,
  }),
  ephemeral: obj({
    volumeClaimTemplate: obj({ metadata: objectMetaSchema, spec: persistentVolumeClaimSpecSchema }),
  }),
  image: obj({ reference: str, pullPolicy: str }),
});

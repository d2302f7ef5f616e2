// The parts of Pods, Services, Nodes, Endpoints and EndpointSlices the endpoint controllers read
// and write, as they travel on the wire (core/v1 and discovery.k8s.io/v1), plus the well-known
// label and annotation keys they use.
import type { KubeObject } from '@k8ts/api';

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface Container {
  name: string;
  ports?: ContainerPort[];
  restartPolicy?: string;
}

export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

export interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    hostname?: string;
    subdomain?: string;
    containers?: Container[];
    initContainers?: Container[];
  };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    conditions?: PodCondition[];
  };
}

export interface ServicePort {
  name?: string;
  protocol?: string;
  appProtocol?: string;
  port: number;
  /** a number, or the name of a container port */
  targetPort?: number | string;
}

export interface Service extends KubeObject {
  spec?: {
    type?: string;
    selector?: Record<string, string>;
    clusterIP?: string;
    ipFamilies?: string[];
    ports?: ServicePort[];
    publishNotReadyAddresses?: boolean;
  };
}

export type Node = KubeObject;

/** core/v1 ObjectReference as the controllers fill it for a pod. */
export interface PodReference {
  kind: 'Pod';
  namespace: string;
  name: string;
  uid: string;
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: PodReference;
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

export interface Endpoints extends KubeObject {
  subsets?: EndpointSubset[];
}

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  targetRef?: PodReference;
  nodeName?: string;
  zone?: string;
  hints?: unknown;
}

export interface SlicePort {
  name?: string;
  protocol?: string;
  port?: number;
  appProtocol?: string;
}

export interface EndpointSlice extends KubeObject {
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints: SliceEndpoint[] | null;
  ports: SlicePort[] | null;
}

/** v1.IsHeadlessService: on Endpoints and EndpointSlices of services without a cluster IP. */
export const HEADLESS_SERVICE_LABEL = 'service.kubernetes.io/headless';
/** v1.EndpointsLastChangeTriggerTime: when the change that caused this write happened. */
export const LAST_CHANGE_TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
/** discovery.LabelServiceName */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** discovery.LabelManagedBy */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** v1.LabelTopologyZone, read from the pod's node */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

// The Kubernetes protobuf wire format (application/vnd.kubernetes.protobuf), driven by the schema
// registry: objects in the "k8s\0" + runtime.Unknown envelope, and watch-stream frames.
export { ProtobufDecodeError, ProtobufEncodeError } from './errors.ts';
export { KUBE_PROTOBUF_MAGIC, decodeKubeProtobuf, encodeKubeProtobuf } from './envelope.ts';
export { encodeWatchEventFrame, decodeWatchEventFrames } from './watch.ts';

// The two ways a protobuf conversion can fail. Both carry a message a user can act on: what was
// wrong and, for field-level problems, the JSON path of the field (e.g. "spec.replicas").

/** The bytes are not a valid Kubernetes protobuf object (or name a kind this server does not know). */
export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';
}

/** The JSON object cannot be written as protobuf: unknown kind, or a value of the wrong JSON type. */
export class ProtobufEncodeError extends Error {
  override readonly name = 'ProtobufEncodeError';
}

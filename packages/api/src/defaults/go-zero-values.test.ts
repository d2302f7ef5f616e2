import { describe, expect, it } from 'vitest';
import { schema } from '../schema/registry.ts';
import type { JsonObject } from '../object.ts';
import { fillGoZeroValues } from './go-zero-values.ts';

function filled(messageName: string, obj: JsonObject): JsonObject {
  fillGoZeroValues(schema.message(messageName), obj);
  return obj;
}

describe('Go zero values', () => {
  it('shows a waiting container status the way kubectl does (lastState: {}, restartCount: 0, imageID: "")', () => {
    const status = filled('k8s.io.api.core.v1.PodStatus', {
      phase: 'Pending',
      containerStatuses: [{ name: 'web', image: 'nginx', state: { waiting: { reason: 'ContainerCreating' } } }],
    });
    expect(status).toEqual({
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'web',
          image: 'nginx',
          imageID: '',
          lastState: {},
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ContainerCreating' } },
        },
      ],
    });
  });

  it('writes null for unset timestamps and "" for non-omitempty strings of an Event', () => {
    const event = filled('k8s.io.api.core.v1.Event', { metadata: { name: 'web.17a' }, reason: 'Pulled', type: 'Normal' });
    expect(event).toMatchObject({
      metadata: { name: 'web.17a', creationTimestamp: null },
      involvedObject: {},
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
    });
  });

  it('gives a Node the struct fields every node shows', () => {
    const node = filled('k8s.io.api.core.v1.Node', { metadata: { name: 'worker' }, status: { nodeInfo: { kubeletVersion: 'v1.32.0' } } });
    expect(node.status).toEqual({
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: {
        architecture: '',
        bootID: '',
        containerRuntimeVersion: '',
        kernelVersion: '',
        kubeProxyVersion: '',
        kubeletVersion: 'v1.32.0',
        machineID: '',
        operatingSystem: '',
        osImage: '',
        systemUUID: '',
      },
    });
    expect(node.spec).toEqual({});
  });

  it('creates no pointer structs and no lists, and keeps what is there', () => {
    const spec = filled('k8s.io.api.core.v1.PodSpec', {
      containers: [{ name: 'c', image: 'c:1', resources: { limits: { cpu: '1' } } }],
      hostNetwork: false,
    });
    expect(spec).toEqual({ containers: [{ name: 'c', image: 'c:1', resources: { limits: { cpu: '1' } } }], hostNetwork: false });
  });

  it('replaces a JSON null in a non-pointer field, as Go decodes null to the zero value', () => {
    const meta = filled('k8s.io.api.core.v1.PodTemplateSpec', { metadata: null, spec: { containers: [] } });
    expect(meta).toEqual({ metadata: { creationTimestamp: null }, spec: { containers: [] } });
  });
});

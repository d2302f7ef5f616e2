// LimitRanger: a namespace's LimitRanges shape what is created in it. In the mutating phase a
// new pod's containers get the Container defaults (default → limits, defaultRequest → requests);
// in the validating phase pods and PersistentVolumeClaims are checked against min, max and
// maxLimitRequestRatio. Pod updates are left alone: containers' resources cannot change.
import { forbidden, type AdmissionAttributes, type PluginFactory } from './attributes.ts';
import { applyContainerDefaults, claimViolations, podViolations, type LimitRange } from './limit-ranger-rules.ts';

const LIMIT_RANGES = { group: '', resource: 'limitranges' };

function target(attributes: AdmissionAttributes): 'pod' | 'claim' | undefined {
  if (attributes.subresource !== '' || !attributes.object || attributes.kind.group !== '') return undefined;
  // An object already being deleted is only finishing; nothing about it is checked again.
  if (attributes.oldObject?.metadata.deletionTimestamp) return undefined;
  if (attributes.kind.kind === 'Pod') return attributes.operation === 'CREATE' ? 'pod' : undefined;
  if (attributes.kind.kind === 'PersistentVolumeClaim') return 'claim';
  return undefined;
}

export const limitRanger: PluginFactory = ({ state }) => {
  const limitRanges = async (attributes: AdmissionAttributes) => (await state.list(LIMIT_RANGES, attributes.namespace)) as LimitRange[];
  return {
    name: 'LimitRanger',
    operations: ['CREATE', 'UPDATE'],
    async admit(attributes) {
      if (target(attributes) !== 'pod') return;
      for (const limitRange of await limitRanges(attributes)) applyContainerDefaults(limitRange, attributes.object!);
    },
    async validate(attributes) {
      const kind = target(attributes);
      if (!kind) return;
      for (const limitRange of await limitRanges(attributes)) {
        const problem = kind === 'pod' ? podViolations(limitRange, attributes.object!) : claimViolations(limitRange, attributes.object!);
        if (problem) throw forbidden(attributes, problem);
      }
    },
  };
};

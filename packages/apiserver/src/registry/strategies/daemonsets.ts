// DaemonSets: the apiserver counts template changes. Kubernetes' internal DaemonSet keeps
// spec.templateGeneration; apps/v1 carries it as the annotation below, set to 1 on create and
// raised by one whenever an update changes spec.template (whatever value the client sent). The
// DaemonSet controller stamps it on pods as the pod-template-generation label.
import type { KubeObject } from '@k8ts/api';
import { jsonEqual } from '../object-meta.ts';
import type { ResourceStrategy } from '../strategy.ts';

export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

function templateGeneration(daemonSet: KubeObject): number {
  const value = Number(daemonSet.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION]);
  return Number.isInteger(value) ? value : 0;
}

function setTemplateGeneration(daemonSet: KubeObject, generation: number): void {
  daemonSet.metadata.annotations = { ...daemonSet.metadata.annotations, [TEMPLATE_GENERATION_ANNOTATION]: String(generation) };
}

const templateOf = (daemonSet: KubeObject) => (daemonSet.spec as { template?: unknown } | undefined)?.template;

export const daemonSetStrategy: ResourceStrategy = {
  prepareForCreate(daemonSet) {
    daemonSet.status = {};
    if (templateGeneration(daemonSet) < 1) setTemplateGeneration(daemonSet, 1);
  },
  prepareForUpdate(daemonSet, old) {
    const previous = Math.max(1, templateGeneration(old));
    setTemplateGeneration(daemonSet, jsonEqual(templateOf(daemonSet), templateOf(old)) ? previous : previous + 1);
  },
};

// apiextensions.k8s.io/v1 defaults (k8s.io/apiextensions-apiserver pkg/apis/apiextensions/v1
// defaults.go): the CRD's derivable names, no conversion, and the storage version recorded.
import { children, defaultPointer, defaultString, descend, ensureChild, isEmpty, type Fields } from './fields.ts';
import type { KindDefaulters } from './kinds.ts';

export const apiextensionsV1Defaulters: KindDefaulters = {
  CustomResourceDefinition: defaultCustomResourceDefinition,
};

function defaultCustomResourceDefinition(crd: Fields): void {
  const spec = ensureChild(crd, 'spec');
  const names = ensureChild(spec, 'names');
  const kind = typeof names.kind === 'string' ? names.kind : '';
  if (kind !== '') {
    defaultString(names, 'singular', kind.toLowerCase());
    defaultString(names, 'listKind', `${kind}List`);
  }
  defaultPointer(spec, 'conversion', { strategy: 'None' });
  const service = descend(spec, 'conversion', 'webhook', 'clientConfig', 'service');
  if (service) defaultPointer(service, 'port', 443);
  // The first storage version is where objects have been written, from the very start.
  const status = ensureChild(crd, 'status');
  if (isEmpty(status.storedVersions)) {
    const storage = children(spec, 'versions').find((version) => version.storage === true);
    if (storage && typeof storage.name === 'string') status.storedVersions = [storage.name];
  }
}

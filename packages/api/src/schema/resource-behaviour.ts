// Facts about how kube-apiserver's registry answers for particular resources — shared by the
// apiserver (which behaves so) and the OpenAPI documents (which describe it).

/** Resources whose DELETE answers with the deleted object rather than a Status (ReturnDeletedObject). */
const RETURNS_DELETED_OBJECT = new Set([
  '/pods',
  '/services',
  '/persistentvolumes',
  '/persistentvolumeclaims',
  '/serviceaccounts',
  '/resourcequotas',
  '/podtemplates',
  'storage.k8s.io/storageclasses',
]);

export function deleteReturnsObject(group: string, resource: string): boolean {
  return RETURNS_DELETED_OBJECT.has(`${group}/${resource}`);
}

// PersistentVolumeClaims under quota: each claim counts toward "persistentvolumeclaims" and its
// requested storage toward "requests.storage" — overall and per StorageClass, as
// "<class>.storageclass.storage.k8s.io/<resource>". Storage is charged in whole bytes, and an
// expansion already allocated counts when it is larger than the request.
import type { KubeObject } from '../object.ts';
import { compareQuantities, type Quantity } from '../quantity/index.ts';
import { objectCountName, type QuotaEvaluator } from './evaluator.ts';
import { count, parseResourceList } from './resource-list.ts';

const CLAIM_COUNT = objectCountName('', 'persistentvolumeclaims');
const CLAIM_RESOURCES = ['persistentvolumeclaims', 'requests.storage'];
export const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
const LEGACY_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

interface ClaimShape {
  spec?: { storageClassName?: string; resources?: { requests?: unknown } };
  status?: { allocatedResources?: unknown };
}

/** The claim's class: the legacy annotation wins over spec.storageClassName, as in Kubernetes. */
export function claimStorageClass(claim: KubeObject): string {
  return claim.metadata.annotations?.[LEGACY_CLASS_ANNOTATION] ?? (claim as ClaimShape).spec?.storageClassName ?? '';
}

/** Rounded up to a whole number (Quantity.RoundUp(0)), so quota sums stay integral. */
function wholeUnits(q: Quantity): Quantity {
  if (q.exponent >= 0) return q;
  const divisor = 10n ** BigInt(-q.exponent);
  const whole = q.mantissa / divisor;
  const exact = q.mantissa % divisor === 0n;
  return { mantissa: exact || q.mantissa < 0n ? whole : whole + 1n, exponent: 0, format: q.format };
}

function storageUsage(claim: ClaimShape): Quantity | undefined {
  const requested = parseResourceList(claim.spec?.resources?.requests).storage;
  if (!requested) return undefined;
  const rounded = wholeUnits(requested);
  const allocated = parseResourceList(claim.status?.allocatedResources).storage;
  return allocated && compareQuantities(allocated, rounded) > 0 ? wholeUnits(allocated) : rounded;
}

export const persistentVolumeClaimEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'persistentvolumeclaims',
  handles: (operation) => operation === 'CREATE' || operation === 'UPDATE',
  matchingResources: (input) =>
    input.filter(
      (name) =>
        name === CLAIM_COUNT || CLAIM_RESOURCES.includes(name) || CLAIM_RESOURCES.some((resource) => name.endsWith(STORAGE_CLASS_SUFFIX + resource)),
    ),
  constraints: () => undefined,
  usage(object: KubeObject) {
    const storageClass = claimStorageClass(object);
    const usage: Record<string, Quantity> = { persistentvolumeclaims: count(1), [CLAIM_COUNT]: count(1) };
    if (storageClass) usage[`${storageClass}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`] = count(1);
    const storage = storageUsage(object as ClaimShape);
    if (storage) {
      usage['requests.storage'] = storage;
      if (storageClass) usage[`${storageClass}${STORAGE_CLASS_SUFFIX}requests.storage`] = storage;
    }
    return usage;
  },
  matchesScope: () => false,
};

// Relative paths inside volumes (subPath, items[].path, hostPath …): no "..", relative where the
// path is joined onto a volume.
import type { FieldError, FieldPath } from '../field-error.ts';
import { invalid } from '../field-error.ts';

/** validatePathNoBacksteps: no ".." element; one error is enough however many there are. */
export function validatePathNoBacksteps(target: string, path: FieldPath): FieldError[] {
  return target.split('/').includes('..') ? [invalid(path, target, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative, and never climbing out. */
export function validateLocalDescendingPath(target: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalid(path, target, 'must be a relative path'));
  errs.push(...validatePathNoBacksteps(target, path));
  return errs;
}

/** ValidateLocalNonReservedPath: also may not start with ".." (e.g. "..data", used by the kubelet). */
export function validateLocalNonReservedPath(target: string, path: FieldPath): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(invalid(path, target, "must not start with '..'"));
  return errs;
}

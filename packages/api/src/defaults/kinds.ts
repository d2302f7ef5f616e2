// The shape every group's defaulting table shares.
import type { KubeObject } from '../object.ts';

/** Fills in one kind's defaults, in place. */
export type Defaulter = (obj: KubeObject) => void;

/** Kind → defaulter, for one group version. */
export type KindDefaulters = Readonly<Record<string, Defaulter>>;

// `k8ts up --extra-config=<component>.<flag>=<value>`: a flag added to one component's command
// line, in minikube's form (`--extra-config=controller-manager.horizontal-pod-autoscaler-sync-period=5s`).
// "kubelet" reaches every node's kubelet; "etcd" is accepted for the store, as minikube names it.

export interface ExtraFlag {
  /** the component kind it applies to: apiserver, controller-manager, scheduler, kubelet or store */
  component: string;
  /** the whole flag as the component takes it: --name=value */
  flag: string;
}

const COMPONENTS: Record<string, string> = {
  apiserver: 'apiserver',
  'controller-manager': 'controller-manager',
  scheduler: 'scheduler',
  kubelet: 'kubelet',
  store: 'store',
  etcd: 'store',
};

/** Parses one --extra-config value; throws with the accepted form when it is not one. */
export function parseExtraConfig(text: string): ExtraFlag {
  const match = /^([a-z-]+)\.([a-z0-9][a-z0-9-]*)=(.*)$/s.exec(text);
  const component = match ? COMPONENTS[match[1]!] : undefined;
  if (!match || !component) {
    throw new Error(
      `--extra-config: "${text}" must be <component>.<flag>=<value> with component one of ${Object.keys(COMPONENTS).join(', ')} (e.g. controller-manager.horizontal-pod-autoscaler-sync-period=5s)`,
    );
  }
  return { component, flag: `--${match[2]}=${match[3]}` };
}

/** The kind of component a planned component name is: kubelet-<node> → kubelet, store-2 → store. */
export function componentKind(name: string): string {
  if (name.startsWith('kubelet-')) return 'kubelet';
  if (name === 'store' || /^store-\d+$/.test(name)) return 'store';
  return name;
}

/** `args` with the extra flags meant for a component of this kind appended (a later flag wins). */
export function withExtraFlags(name: string, args: string[], extra: readonly string[]): string[] {
  const kind = componentKind(name);
  const flags = extra.map(parseExtraConfig).filter((e) => e.component === kind);
  return flags.length === 0 ? args : [...args, ...flags.map((e) => e.flag)];
}

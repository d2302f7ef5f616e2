import { describe, expect, it } from 'vitest';
import { componentKind, parseExtraConfig, withExtraFlags } from './extra-config.ts';

describe('--extra-config', () => {
  it('turns component.flag=value into that component\'s flag, as minikube does', () => {
    expect(parseExtraConfig('controller-manager.horizontal-pod-autoscaler-sync-period=5s')).toEqual({
      component: 'controller-manager',
      flag: '--horizontal-pod-autoscaler-sync-period=5s',
    });
    expect(parseExtraConfig('etcd.snapshot-count=5000')).toEqual({ component: 'store', flag: '--snapshot-count=5000' });
    expect(parseExtraConfig('apiserver.metric-resolution=')).toEqual({ component: 'apiserver', flag: '--metric-resolution=' });
  });

  it('refuses other forms and unknown components, naming the accepted form', () => {
    expect(() => parseExtraConfig('proxy.mode=ipvs')).toThrow('--extra-config: "proxy.mode=ipvs" must be <component>.<flag>=<value> with component one of apiserver, controller-manager, scheduler, kubelet, store, etcd');
    expect(() => parseExtraConfig('scheduler-v=4')).toThrow('must be <component>.<flag>=<value>');
  });

  it('reaches every kubelet and every store member, and only components of that kind', () => {
    expect(['kubelet-dev-node-2', 'store-3', 'store', 'apiserver'].map(componentKind)).toEqual(['kubelet', 'store', 'store', 'apiserver']);
    const extra = ['kubelet.max-pods=50', 'scheduler.v=4'];
    expect(withExtraFlags('kubelet-dev-node-2', ['kubelet', '--runtime=fake'], extra)).toEqual(['kubelet', '--runtime=fake', '--max-pods=50']);
    expect(withExtraFlags('apiserver', ['apiserver'], extra)).toEqual(['apiserver']);
  });
});

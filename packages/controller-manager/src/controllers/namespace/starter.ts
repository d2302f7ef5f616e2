// How kube-controller-manager starts the namespace controller: under the namespace-controller
// identity, reading the shared Namespace informer, with --concurrent-namespace-syncs workers.
import type { ControllerStarter } from '../../controller/context.ts';
import { NAMESPACE_CONTROLLER, NamespaceController } from './namespace-controller.ts';
import { NamespacedResourcesDeleter, type NamespaceObject } from './namespaced-resources-deleter.ts';

export const namespaceControllerStarter: ControllerStarter = {
  name: NAMESPACE_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('namespace-controller');
    return new NamespaceController({
      namespaces: ctx.informers.forKind<NamespaceObject>({ group: '', version: 'v1', kind: 'Namespace' }),
      deleter: new NamespacedResourcesDeleter({ client, clock: ctx.clock, logger: ctx.logger }),
      queue: ctx.newQueue<string>('namespace'),
      workers: ctx.options.concurrency['concurrent-namespace-syncs'],
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};

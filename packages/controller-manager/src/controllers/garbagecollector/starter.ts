// How kube-controller-manager starts the garbage collector: under the generic-garbage-collector
// identity (its RBAC role may get, list, watch, patch, update and delete everything), with
// --concurrent-gc-syncs workers on each queue; --enable-garbage-collector=false leaves it off.
import type { ControllerStarter } from '../../controller/context.ts';
import { GARBAGE_COLLECTOR_CONTROLLER, GarbageCollector } from './garbage-collector.ts';
import type { GraphNode } from './graph.ts';

export const garbageCollectorStarter: ControllerStarter = {
  name: GARBAGE_COLLECTOR_CONTROLLER,
  async init(ctx) {
    if (!ctx.options.enableGarbageCollector) return { notStarted: `"${GARBAGE_COLLECTOR_CONTROLLER}" is disabled by --enable-garbage-collector=false` };
    const client = await ctx.clientFor('generic-garbage-collector');
    return new GarbageCollector({
      client,
      recorder: ctx.eventRecorder(client, 'garbage-collector-controller'),
      attemptToDelete: ctx.newQueue<GraphNode>('garbage_collector_attempt_to_delete'),
      attemptToOrphan: ctx.newQueue<GraphNode>('garbage_collector_attempt_to_orphan'),
      workers: ctx.options.concurrency['concurrent-gc-syncs'],
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};

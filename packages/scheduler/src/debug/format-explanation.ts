// A decision as log lines (at -v 4): the verdict, then one line per node evaluated — the
// filter that rejected it with its reasons, or its total score and each plugin's share.
import type { Decision } from './decision-log.ts';

export function formatExplanation(decision: Decision): string {
  const pod = `${decision.namespace}/${decision.pod}`;
  const head =
    decision.result === 'scheduled'
      ? `Scheduled ${pod} on ${decision.node} (attempt ${decision.attempt}; ${decision.feasibleNodes} feasible of ${decision.evaluatedNodes} evaluated node(s))`
      : `Unable to schedule ${pod} (attempt ${decision.attempt}): ${decision.message ?? decision.result}`;
  const lines = [head];
  if (decision.preemption) lines.push(`  nominated node ${decision.preemption.nominatedNodeName}; victims: ${decision.preemption.victims.join(', ') || '(none)'}`);
  const explanation = decision.explanation;
  if (explanation?.preFilterRejection) lines.push(`  PreFilter ${explanation.preFilterRejection.plugin}: ${explanation.preFilterRejection.message}`);
  for (const node of explanation?.nodes ?? []) {
    if (node.rejectedBy) {
      lines.push(`  ${node.node}: rejected by ${node.rejectedBy.plugin}: ${node.rejectedBy.reasons.join(', ')}`);
    } else if (node.scores) {
      const shares = node.scores.map((s) => `${s.plugin}=${s.normalized}x${s.weight}`).join(' ');
      lines.push(`  ${node.node}: score ${node.totalScore}${node.node === decision.node ? ' (chosen)' : ''}: ${shares}`);
    } else {
      lines.push(`  ${node.node}: feasible${node.node === decision.node ? ' (chosen)' : ''}`);
    }
  }
  return lines.join('\n');
}

// Building messages: every Message field is required, so fill the ones a sender leaves out.
import type { Message } from './types.ts';
import { NO_NODE } from './types.ts';

export function message(fields: Pick<Message, 'type'> & Partial<Message>): Message {
  return {
    to: NO_NODE,
    from: NO_NODE,
    term: 0,
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    ...fields,
  };
}

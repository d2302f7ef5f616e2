// A linearizability checker for key-value histories (Wing & Gong search with memoization,
// checked per key): see check.ts for the entry point, search.ts for the algorithm.
export { checkHistory, explainViolation, type CheckOptions, type CheckResult, type KeyViolation } from './check.ts';
export { describeOperation, partitionByKey, type Operation, type RegisterInput, type RegisterOutput } from './history.ts';
export { INITIAL_REGISTER, stepRegister, type RegisterState } from './register-model.ts';
export { searchLinearization, type LinearizedStep, type SearchOptions, type SearchResult } from './search.ts';

// Entry of the dispatch folder: explicit re-exports only.
export { createDispatcher } from './dispatcher.js';
export type { Dispatcher, DispatcherOptions } from './dispatcher.js';
export type { StubOptions } from './stubber.js';
export type { CallObserver, CallRecord, CallSite, FailedCall, HandlerCall } from './call-site.js';
export { Journal, ReplayBudget } from './journal.js';
export type { Answer, JournalSink, RecordedCall } from './journal.js';
export type { ApprovalDecision, ApprovalHandler, ApprovalRequest } from './approval.js';
export { mayNeedApproval } from './approval.js';

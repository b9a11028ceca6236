export { createOutboxDispatcher } from './dispatcher.js';
export type { OutboxDispatcher, OutboxDispatcherOptions, OutboxJobData, OutboxMetrics } from './types.js';
export { computeBackoffMs, type BackoffOptions } from './backoff.js';

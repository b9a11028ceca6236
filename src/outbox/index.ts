export { createOutboxDispatcher } from './dispatcher.js';
export type { OutboxDispatcher, OutboxDispatcherOptions, OutboxJobData, OutboxMetrics } from './types.js';

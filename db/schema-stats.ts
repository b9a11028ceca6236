/** Kept so existing imports keep working; the tables live in db/schema/figures.ts. */
export * from './schema/figures.js';

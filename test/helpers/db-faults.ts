import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** A statement as the fault plugin sees it: its operation kind and its tree as JSON (values included). */
export interface StatementView {
  kind: string;
  json: string;
}

/**
 * A kysely plugin for tests that counts statements and makes chosen ones fail, as a dropped
 * connection or a busy database file would: `failNext(match, times)` throws before the statement
 * reaches the database. Use with `db.withPlugin(plugin)`; transactions inherit it.
 */
export class DbFaults implements KyselyPlugin {
  /** Statements run (or refused) since the last {@link reset}. */
  statements = 0;
  private rules: Array<{ match: (s: StatementView) => boolean; remaining: number }> = [];

  failNext(match: (s: StatementView) => boolean, times = 1): void {
    this.rules.push({ match, remaining: times });
  }

  /** Injected failures not yet used (a rule whose statement never ran keeps its count). */
  unused(): number {
    return this.rules.reduce((sum, r) => sum + r.remaining, 0);
  }

  reset(): void {
    this.statements = 0;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.statements += 1;
    const view: StatementView = { kind: args.node.kind, json: JSON.stringify(args.node) };
    const rule = this.rules.find((r) => r.remaining > 0 && r.match(view));
    if (rule) {
      rule.remaining -= 1;
      throw new Error('injected database failure: connection terminated unexpectedly');
    }
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/** `UPDATE outbox SET … status = 'sent' …` (recording a delivered row). */
export const markingSent = (s: StatementView): boolean =>
  s.kind === 'UpdateQueryNode' && s.json.includes('"outbox"') && s.json.includes('"status"') && s.json.includes('"sent"');

/** `UPDATE outbox SET parts_sent = …` (recording one delivered part). */
export const recordingParts = (s: StatementView): boolean =>
  s.kind === 'UpdateQueryNode' && s.json.includes('"outbox"') && s.json.includes('"parts_sent"') && !s.json.includes('"sent_at"');

/** PostgreSQL's one-statement `WITH marked AS (UPDATE outbox … 'sent') INSERT INTO message_refs …`. */
export const markingSentWithRefs = (s: StatementView): boolean =>
  s.kind === 'InsertQueryNode' && s.json.includes('"message_refs"') && s.json.includes('"sent"');

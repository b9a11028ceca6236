import { PostgresAdapter, sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.js';
import type { DeadlineClass, IsoDate, Org, Topic } from '../schema.js';
import { agencyRecipients, recipientsFromRows, recipientsQuery, type AgencyRecipients, type RecipientRow } from './agency-recipients.js';
import { treeFromRows, type OrgTree, type TreeRow } from './deadlines.js';
import { ORG_COLUMNS, orgChainCte } from './directory.js';
import { unprefixed } from './joined-rows.js';
import { PREPARED } from '../pg-prepared.js';
import { compiledOnce } from '../compiled.js';

const TOPIC_COLUMNS = ['id', 'code', 'name', 'name_en', 'org_id', 'screening', 'active', 'created_at', 'updated_at'] as const;

/** What sending a question on a topic needs to read (see {@link topicForSend}). */
export interface TopicForSend {
  topic: Topic | undefined;
  org: Org | undefined;
  /** The chain of the topic's organisation and its overrides of the class asked for (as `overridesUpTheTree`); absent without a topic. */
  tree: OrgTree | undefined;
  /**
   * When asked for: the spokespersons of the topic's organisation as `agencyRecipients` reads them
   * for a new inquiry (none authorised for it yet), with that organisation's id.
   */
  recipients?: AgencyRecipients & { orgId: number };
}

/** The day the assignments must be in force and the reporter's outlet (null: none), for {@link TopicForSend.recipients}. */
export interface RecipientsAsked {
  today: IsoDate;
  outletId: number | null;
}

/** No row has this id (ids start at 1): a new inquiry has nobody authorised for it yet, a reporter without an outlet none. */
const NO_ROW = -1;

/** A row of the statement: the topic and organisation (`t_`, `g_`), one override along the chain, and (PostgreSQL, when asked) the recipients. */
type TopicRow = Record<string, unknown> & TreeRow & { recipients_json?: RecipientRow[] };

/**
 * In one statement, a topic (as `topicWithOrg`), its organisation, and that organisation's chain up
 * the tree with the deadline overrides of `deadlineClass` held along it (as `overridesUpTheTree`);
 * with `recipients`, also who at that organisation receives a new inquiry (PostgreSQL: in the same
 * statement, as JSON; SQLite: a second statement, an in-process call).
 */
export async function topicForSend(db: Db, topicId: number, deadlineClass: DeadlineClass, recipients?: RecipientsAsked): Promise<TopicForSend> {
  const onPostgres = recipients !== undefined && db.getExecutor().adapter instanceof PostgresAdapter;
  const { rows } = onPostgres
    ? await withRecipientsStatement(db, topicId, deadlineClass, recipients.outletId ?? NO_ROW, recipients.today, NO_ROW)
    : await topicForSendStatement(db, topicId, deadlineClass);
  const [first] = rows;
  const topic = first ? unprefixed<Topic>(first, 't_', TOPIC_COLUMNS) : undefined;
  if (!first || !topic) return { topic: undefined, org: undefined, tree: undefined };
  const found = { topic, org: unprefixed<Org>(first, 'g_', ORG_COLUMNS), tree: treeFromRows(Number(topic.org_id), rows) };
  if (!recipients) return found;
  const orgId = Number(topic.org_id);
  const asked = { orgId, inquiryId: NO_ROW, today: recipients.today };
  const read = onPostgres
    ? recipientsFromRows(first.recipients_json ?? [], asked)
    : await agencyRecipients(db, { ...asked, outletId: recipients.outletId });
  return { ...found, recipients: { ...read, orgId } };
}

const topicForSendStatement = compiledOnce((db: Db, topicId: number, deadlineClass: DeadlineClass) => topicForSendSql(topicId, deadlineClass, sql``));

/**
 * PostgreSQL: {@link topicForSendStatement} with the recipients as one JSON column (the same on
 * every row: an uncorrelated subquery, run once), ordered as `agencyRecipients` reads them.
 */
const withRecipientsStatement = compiledOnce((db: Db, topicId: number, deadlineClass: DeadlineClass, outletId: number, today: IsoDate, inquiryId: number) => {
  const orgId = sql<number | null>`(select org_id from topics where id = ${topicId})`;
  return topicForSendSql(topicId, deadlineClass, sql`, (select coalesce(json_agg(x order by x.r_person_id, x.r_id, x.i_id), '[]'::json)
      from (${recipientsQuery(db, outletId, orgId, today, inquiryId)}) x) as recipients_json`);
});

function topicForSendSql(topicId: number, deadlineClass: DeadlineClass, extra: RawBuilder<unknown>) {
  return sql<TopicRow>`${orgChainCte(sql<number | null>`(select org_id from topics where id = ${topicId})`)}
    select ${sql.raw(TOPIC_COLUMNS.map((c) => `t.${c} as t_${c}`).join(', '))}, ${sql.raw(ORG_COLUMNS.map((c) => `g.${c} as g_${c}`).join(', '))},
      c.depth, c.id as chain_id, c.parent_id as chain_parent_id, o.id, o.org_id, o.deadline_class, o.amount, o.unit, o.legal_basis,
      o.valid_from, o.valid_to, o.created_at, o.updated_at${extra}
    from topics t left join orgs g on g.id = t.org_id
      left join chain c on true
      left join deadline_overrides o on o.org_id = c.id and o.deadline_class = ${deadlineClass}
    where t.id = ${topicId}
    order by c.depth, o.id${PREPARED}`;
}

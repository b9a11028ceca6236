import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { DeadlineClass, Org, Topic } from '../schema.js';
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
}

/**
 * In one statement, a topic (as `topicWithOrg`), its organisation, and that organisation's chain up
 * the tree with the deadline overrides of `deadlineClass` held along it (as `overridesUpTheTree`).
 */
export async function topicForSend(db: Db, topicId: number, deadlineClass: DeadlineClass): Promise<TopicForSend> {
  const { rows } = await topicForSendStatement(db, topicId, deadlineClass);
  const [first] = rows;
  const topic = first ? unprefixed<Topic>(first, 't_', TOPIC_COLUMNS) : undefined;
  if (!first || !topic) return { topic: undefined, org: undefined, tree: undefined };
  return { topic, org: unprefixed<Org>(first, 'g_', ORG_COLUMNS), tree: treeFromRows(Number(topic.org_id), rows) };
}

const topicForSendStatement = compiledOnce((db: Db, topicId: number, deadlineClass: DeadlineClass) => sql<Record<string, unknown> & TreeRow>`${orgChainCte(sql<number | null>`(select org_id from topics where id = ${topicId})`)}
    select ${sql.raw(TOPIC_COLUMNS.map((c) => `t.${c} as t_${c}`).join(', '))}, ${sql.raw(ORG_COLUMNS.map((c) => `g.${c} as g_${c}`).join(', '))},
      c.depth, c.id as chain_id, c.parent_id as chain_parent_id, o.id, o.org_id, o.deadline_class, o.amount, o.unit, o.legal_basis,
      o.valid_from, o.valid_to, o.created_at, o.updated_at
    from topics t left join orgs g on g.id = t.org_id
      left join chain c on true
      left join deadline_overrides o on o.org_id = c.id and o.deadline_class = ${deadlineClass}
    where t.id = ${topicId}
    order by c.depth, o.id${PREPARED}`);

import type { Migration } from 'kysely';
import * as core from './2026-11-22-001-core.js';
import * as deadlines from './2026-11-22-002-deadlines.js';
import * as outboxChatIndex from './2026-11-22-003-outbox-chat-index.js';
import * as noticesLinks from './2026-11-22-004-notices-links.js';
import * as zaloOa from './2026-11-22-005-zalo-oa.js';
import * as choiceMenus from './2026-11-22-007-choice-menus.js';
import * as webSessions from './2026-11-22-006-web-sessions.js';
import * as outboxHeldReason from './2026-11-22-008-outbox-held-reason.js';
import * as outboxClaims from './2026-12-04-101-outbox-claims.js';
import * as credentialsAtRest from './2026-12-04-301-credentials-at-rest.js';
import * as lifecycleClock from './2026-12-04-601-lifecycle-clock.js';
import * as attachments from './2026-12-04-701-attachments.js';
import * as attachmentsNoticeIndex from './2026-12-04-711-attachments-notice-index.js';
import * as statsRollups from './2026-12-04-901-stats-rollups.js';
import * as pressRecords from './2026-12-04-902-press-records.js';
import * as dashboardIndexes from './2026-12-04-903-dashboard-indexes.js';
import * as zaloTokenHash from './2026-12-05-801-zalo-token-hash.js';
import * as answerCorrections from './2026-12-05-601-answer-corrections.js';
import * as webPush from './2026-12-05-401-web-push.js';
import * as inviteHash from './2026-12-05-802-invite-hash.js';
import * as inbox from './2026-12-05-301-inbox.js';
import * as outboxDigest from './2026-12-05-101-outbox-digest.js';
import * as similarTopicIndex from './2026-12-07-101-similar-topic-index.js';
import * as outboxNoticeHandover from './2026-12-06-101-outbox-notice-handover.js';
import * as inquiryFollowers from './2026-12-05-971-inquiry-followers.js';
import * as pushHeld from './2026-12-05-501-push-held.js';
import * as noticeSummary from './2026-12-05-502-notice-summary.js';
import * as noticeSummaryShown from './2026-12-06-901-notice-summary-shown.js';
import * as noticeSendOwner from './2026-12-06-902-notice-send-owner.js';
import * as inboxChanges from './2026-12-06-301-inbox-changes.js';
import * as inboxReadChanges from './2026-12-07-301-inbox-read-changes.js';
import * as followChanges from './2026-12-08-401-follow-changes.js';
import * as dropPrefixIndexes from './2026-12-09-001-drop-prefix-indexes.js';
import * as reportIndexes from './2026-12-06-501-report-indexes.js';
import * as agencyResponseHistograms from './2026-12-06-502-agency-response-histograms.js';
import * as roleCaseIndex from './2026-12-10-001-role-case-index.js';

/**
 * Every migration, by date-prefixed name. One set for SQLite and PostgreSQL.
 * Listed statically so that migrations need no file-system scan at run time.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-22-001-core': core,
  '2026-11-22-002-deadlines': deadlines,
  '2026-11-22-003-outbox-chat-index': outboxChatIndex,
  '2026-11-22-004-notices-links': noticesLinks,
  '2026-11-22-005-zalo-oa': zaloOa,
  '2026-11-22-007-choice-menus': choiceMenus,
  '2026-11-22-006-web-sessions': webSessions,
  '2026-11-22-008-outbox-held-reason': outboxHeldReason,
  '2026-12-04-101-outbox-claims': outboxClaims,
  '2026-12-04-301-credentials-at-rest': credentialsAtRest,
  '2026-12-04-601-lifecycle-clock': lifecycleClock,
  '2026-12-04-701-attachments': attachments,
  '2026-12-04-711-attachments-notice-index': attachmentsNoticeIndex,
  '2026-12-04-901-stats-rollups': statsRollups,
  '2026-12-04-902-press-records': pressRecords,
  '2026-12-04-903-dashboard-indexes': dashboardIndexes,
  '2026-12-05-801-zalo-token-hash': zaloTokenHash,
  '2026-12-05-601-answer-corrections': answerCorrections,
  '2026-12-05-401-web-push': webPush,
  '2026-12-05-802-invite-hash': inviteHash,
  '2026-12-05-301-inbox': inbox,
  '2026-12-05-101-outbox-digest': outboxDigest,
  '2026-12-05-971-inquiry-followers': inquiryFollowers,
  '2026-12-05-501-push-held': pushHeld,
  '2026-12-05-502-notice-summary': noticeSummary,
  '2026-12-06-901-notice-summary-shown': noticeSummaryShown,
  '2026-12-06-902-notice-send-owner': noticeSendOwner,
  '2026-12-06-301-inbox-changes': inboxChanges,
  '2026-12-06-501-report-indexes': reportIndexes,
  '2026-12-06-502-agency-response-histograms': agencyResponseHistograms,
  '2026-12-06-101-outbox-notice-handover': outboxNoticeHandover,
  '2026-12-07-101-similar-topic-index': similarTopicIndex,
  '2026-12-07-301-inbox-read-changes': inboxReadChanges,
  '2026-12-08-401-follow-changes': followChanges,
  '2026-12-09-001-drop-prefix-indexes': dropPrefixIndexes,
  '2026-12-10-001-role-case-index': roleCaseIndex,
};

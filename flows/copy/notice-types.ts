/** A notice as its recipients see it. */
export interface NoticeView {
  title: string;
  body: string;
  link: string | null;
}

/** Delivery and acknowledgement counts of one notice. */
export interface NoticeCounts {
  total: number;
  pending: number;
  sent: number;
  failed: number;
  unreachable: number;
  notJoined: number;
  /** Waiting in the outbox for the channel (Zalo reply window, refused credentials). */
  held: number;
  acked: number;
}

/** What the coordinator sees before confirming. */
export interface NoticePreview {
  id: number;
  title: string;
  audience: string;
  /** Recipients reachable now, per channel. */
  perChannel: Array<{ platform: string; n: number }>;
  unreachable: number;
  notJoined: number;
  /** Length of the message in parts (long bodies are split). */
  parts: number;
  /** Names of the files that go with it. */
  files?: string[];
}

/** One line of the acknowledgement rates. */
export interface AckRateLine {
  name: string;
  sent: number;
  acked: number;
}

/** Texts of policy notices (owned separately from the main copy; merged into it). */
export interface NoticeCopy {
  /** The notice as delivered. */
  message(v: NoticeView): string;
  /** The one reminder to those who have not acknowledged. */
  reminder(v: NoticeView): string;
  btnAck: string;
  acked(title: string): string;
  ackedAgain: string;
  notRecipient: string;
  askTitle: string;
  askBody: string;
  askLink: string;
  badLink: string;
  askAudience(examples: string): string;
  badAudience: string;
  /** Audience buttons: the coordinator's own scope (`names`: its organisations). */
  btnMyScope(names: string): string;
  /** Audience button of an unscoped coordinator: every contact. */
  btnAll: string;
  /** Opens the list of `n` communes to tick. */
  btnCommunes(n: number): string;
  btnTag(tag: string): string;
  /** Turns the commune list to page `page` of `pages` (1-based). */
  btnPrev(page: number, pages: number): string;
  btnNext(page: number, pages: number): string;
  /** Ends ticking communes (`n` ticked). */
  btnDone(n: number): string;
  /** The commune list's text, the same on every page (turning a page or ticking edits only its buttons): `n` communes on `pages` pages. */
  communesPicker(n: number, pages: number): string;
  noneChosen: string;
  /** A commune button outside the coordinator's scope (forged or stale). */
  orgNotInScope: string;
  /** An audience button pressed when no notice is being composed. */
  audienceStale: string;
  unknownOrgs(codes: string[]): string;
  outOfScope(codes: string[]): string;
  noRecipients: string;
  tooLong(max: number): string;
  /** Files sent while composing: `total` now go with the notice. */
  filesAdded(total: number): string;
  preview(p: NoticePreview): string;
  btnSend: string;
  btnCancel: string;
  cancelled: string;
  started(id: number, title: string): string;
  notDraft(id: number): string;
  /** The coordinator's progress message (edited in place); `done` for the final state. */
  progress(id: number, title: string, c: NoticeCounts, done: boolean): string;
  /** The final summary, sent once every recipient is settled. */
  summary(id: number, title: string, c: NoticeCounts): string;
  /** `/notice status <id>`. */
  status(id: number, title: string, c: NoticeCounts, provinces: AckRateLine[], communes: AckRateLine[]): string;
  statusUsage: string;
  notFound(id: string): string;
  platformLabel(p: string): string;
}

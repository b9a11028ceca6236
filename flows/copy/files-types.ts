import type { FileKind, FileRefusal, Platform } from '../../adapters/types.js';

/** A file as a sentence names it. */
export interface FileLabel {
  name: string;
  sizeBytes: number;
}

/** One line of an inquiry's record of files. */
export interface FileRecordLine extends FileLabel {
  mimeType: string;
  kind: FileKind;
  /** Who sent it; null: unknown. */
  sender: string | null;
  at: string;
  sha256: string;
  /** The entry it came with (`question`, `answer`…), when known. */
  entry: string | null;
}

/** Texts about photos and documents (issue #13). */
export interface FilesCopy {
  /** A size as people read it (`1,2 MB`). */
  size(bytes: number): string;
  /** Why a received file was not kept, and what to do. */
  refused(file: { name?: string | undefined; kind: FileKind }, reason: FileRefusal, limits: { maxFileMb: number; maxMessageMb: number; maxFiles: number; platform?: Platform }): string;
  /** The line that replaces a file the recipient's channel cannot take: a download link valid until `until`. */
  linkLine(file: FileLabel, url: string, until: string): string;
  /** The line for such a file when no link can be made (the recipient is nobody we know). */
  noLinkLine(file: FileLabel): string;
  /** To the sender: this file reached someone on `platform` as a download link. */
  sentAsLink(file: FileLabel, platform: Platform): string;
  /** Files that came without a question: what to send next. */
  askNeedsText(count: number): string;
  /** Album items added to the question being written. */
  addedToQuestion(count: number): string;
  /** A file sent where none is expected. */
  notExpected: string;
  /** The text that stands for an answer made of files only. */
  seeAttached(count: number): string;
  /** `/files Q-n`: the record of an inquiry's files. */
  record(code: string, lines: readonly FileRecordLine[]): string;
  /** `/files` without a code. */
  recordUsage: string;
  /** The mark on `/my` lines whose answer carries a document. */
  answerHasFiles: string;
}

import type { SimilarCopy, SimilarLine } from './similar-types.js';

const state = (l: SimilarLine) => (l.answered ? 'answered' : 'awaiting an answer');
const line = (l: SimilarLine) => `• ${l.code} “${l.title}” — ${state(l)}`;

export const similarEn: SimilarCopy = {
  offer: (lines) => (lines.length === 1
    ? `A similar question exists: ${lines[0]!.code}, ${state(lines[0]!)} — follow it?\n“${lines[0]!.title}”`
    : `Similar questions exist in this topic — follow one instead of sending a new question?\n${lines.map(line).join('\n')}`),
  btnFollow: (c) => `Follow ${c}`,
  followedInstead: (c, answered) => (answered
    ? `You are following inquiry ${c}; your question was not sent. ${c} has been answered: the answer comes to this chat now, and any correction of it later. Send /unfollow ${c} to stop.`
    : `You are following inquiry ${c}; your question was not sent. When ${c} is answered, the answer will come to this chat. Send /unfollow ${c} to stop.`),
  stillReady: 'Your question has not been sent: press Send to send it, or Cancel.',
  duplicates: (lines) => lines.map((l) => `Possible duplicate: ${l.code} (“${l.title}”, ${state(l)})`).join('\n'),
  btnMergeInto: (c) => `Merge into ${c}`,
};

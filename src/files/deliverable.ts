import { fileFits, type ChatAdapter, type OutboundFile } from '../../adapters/types.js';
import type { Attachment } from '../../db/schema.js';
import type { Copy } from '../../flows/copy/index.js';

/** How stored files become parts or links (built once by the composition root, shared by the outbox and the notices). */
export interface FileDelivery {
  toOutbound(attachment: Attachment): OutboundFile;
  /** A signed download link to the web page for one person, valid until `expiresAtS` (epoch s); undefined without a public base URL. */
  link(attachmentId: number, personId: number, expiresAtS: number): string | undefined;
  /** How long links in messages work, from the message's creation, in ms. */
  linkTtlMs: number;
}

/** What a message carries of its files on one channel. */
export interface DeliverableFiles {
  /** Files the channel takes, in order: one part each, after the text. */
  files: OutboundFile[];
  /** Lines of text with a signed, expiring link for each file it cannot take. */
  linkLines: string[];
}

/**
 * Splits stored files into those `adapter` takes (its declared limits) and download links for the
 * rest, made for `personId` and expiring `linkTtlMs` after `sinceIso` (the message's creation, so
 * every attempt renders the same text and parts resume cleanly). Without a file delivery every
 * file is a line; without a person or a public URL the line says to look on the web page.
 */
export function deliverableFiles(
  adapter: ChatAdapter, attachments: readonly Attachment[], delivery: FileDelivery | undefined, personId: number | null, sinceIso: string, t: () => Copy,
): DeliverableFiles {
  const stored = attachments.filter((a) => a.status === 'stored');
  const fits = (a: Attachment) => delivery !== undefined && fileFits(adapter.capabilities.files, { kind: a.kind, mimeType: a.mime_type, sizeBytes: a.size_bytes });
  const rest = stored.filter((a) => !fits(a));
  const files = stored.filter(fits).map((a) => delivery!.toOutbound(a));
  if (rest.length === 0) return { files, linkLines: [] };
  const copy = t();
  const expiresAtS = Math.floor((Date.parse(sinceIso) + (delivery?.linkTtlMs ?? 0)) / 1000);
  const linkLines = rest.map((a) => {
    const label = { name: a.name, sizeBytes: a.size_bytes };
    const url = delivery && personId !== null ? delivery.link(a.id, personId, expiresAtS) : undefined;
    return url ? copy.files.linkLine(label, url, new Date(expiresAtS * 1000).toISOString()) : copy.files.noLinkLine(label);
  });
  return { files, linkLines };
}

import { en } from './en.js';
import type { Copy } from './types.js';
import { vi } from './vi.js';

export type { Copy, InquiryLine, InquiryView } from './types.js';

/** The copy for a locale tag (`vi`, `en`, `en-US`); Vietnamese unless English is asked for. */
export function copyFor(locale: string | null | undefined, fallback: 'vi' | 'en' = 'vi'): Copy {
  const tag = (locale ?? fallback).toLowerCase();
  return tag.startsWith('en') ? en : tag.startsWith('vi') ? vi : fallback === 'en' ? en : vi;
}

/** Die Melde-Schaltfläche auf Deutsch (siehe embed-en.ts). */
import type { EmbedMessageId } from './embed-en.ts';

export const embedDe: Record<EmbedMessageId, string> = {
  'embed.title': 'Intimes Bild melden – Take it down',
  'embed.button': 'Intimes Bild melden',
  'embed.newTab': '(öffnet sich in einem neuen Tab)',
};

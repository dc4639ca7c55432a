/** Le bouton de signalement en français (voir embed-en.ts). */
import type { EmbedMessageId } from './embed-en.ts';

export const embedFr: Record<EmbedMessageId, string> = {
  'embed.title': 'Signaler une image intime – Take it down',
  'embed.button': 'Signaler une image intime',
  'embed.newTab': '(s’ouvre dans un nouvel onglet)',
};

/** Il pulsante di segnalazione in italiano (vedi embed-en.ts). */
import type { EmbedMessageId } from './embed-en.ts';

export const embedIt: Record<EmbedMessageId, string> = {
  'embed.title': 'Segnala un’immagine intima – Take it down',
  'embed.button': 'Segnala un’immagine intima',
  'embed.newTab': '(si apre in una nuova scheda)',
};

/** El botón para denunciar, en español (ver embed-en.ts). */
import type { EmbedMessageId } from './embed-en.ts';

export const embedEs: Record<EmbedMessageId, string> = {
  'embed.title': 'Denunciar una imagen íntima – Take it down',
  'embed.button': 'Denunciar una imagen íntima',
  'embed.newTab': '(se abre en una pestaña nueva)',
};

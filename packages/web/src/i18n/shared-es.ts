/** Palabras comunes a las dos aplicaciones, en español (ver shared-en.ts). Debe revisarlas una persona nativa. */
import type { SharedMessageId } from './shared-en.ts';

export const sharedEs: Record<SharedMessageId, string> = {
  'field.errorPrefix': 'Error: ',
  'errorSummary.title': '{count, plural, one {Hay # cosa que corregir} other {Hay # cosas que corregir}}',
  'date.unknown': 'un momento desconocido',

  'apiError.network': 'No podemos conectar con el servicio. Revisa tu conexión a internet y vuelve a intentarlo. No se ha perdido nada en esta página.',
  'apiError.rate_limited': 'Demasiados intentos desde este dispositivo en poco tiempo. Espera un minuto y vuelve a intentarlo.',
  'apiError.busy': 'El servicio está muy ocupado ahora. Espera un minuto y vuelve a intentarlo. No se ha perdido nada en esta página.',
  'apiError.internal_error': 'Algo ha fallado por nuestra parte. No se ha guardado nada. Vuelve a intentarlo en un minuto.',
  'apiError.body_too_large': 'Es demasiado grande para enviarlo. Prueba con un archivo más pequeño o con menos imágenes.',
  'apiError.case_closed': 'Esta solicitud está cerrada. Ya no se puede cambiar. Puedes enviar una nueva solicitud.',
  'apiError.not_found': 'No lo hemos encontrado. Revisa la dirección y vuelve a intentarlo.',
  'apiError.forbidden': 'Tu rol no permite hacer esto.',
  'apiError.wrong_credentials': 'Usuario o contraseña incorrectos. Revisa los dos y vuelve a intentarlo.',
  'apiError.too_many_attempts': 'Demasiados intentos incorrectos. Por seguridad, espera. Vuelve a intentarlo después de {retryAt}.',
  'apiError.csrf_token_invalid': 'Tu sesión ha caducado. Recarga la página y vuelve a intentarlo.',
  'apiError.not_signed_in': 'Vuelve a iniciar sesión, por favor.',
  'apiError.already_withdrawn': 'Esta solicitud ya está retirada.',
  'apiError.item_already_withdrawn': 'Este elemento ya está retirado. No hace falta hacer nada más.',
  'apiError.item_decided': 'Sobre este elemento ya hemos decidido, así que ahora no se puede retirar. Tus otros elementos no cambian.',
  'apiError.item_not_found': 'No encontramos este elemento en tu solicitud. Vuelve a cargar la página e inténtalo de nuevo.',
  'apiError.invalid_request': 'Hay algo que corregir en el formulario. Revisa tus respuestas y vuelve a intentarlo.',
  'apiError.unknown': 'Algo ha fallado por nuestra parte (error {status}). Vuelve a intentarlo en un minuto.',

  'fieldError.required': 'Rellena este campo, por favor.',
  'fieldError.too_long': 'Es demasiado largo. Acórtalo, por favor.',
  'fieldError.invalid_url': 'Esta no es una dirección web completa. Copia la dirección entera, empezando por https://.',
  'fieldError.invalid_email': 'Esto no parece un correo electrónico. Comprueba que tenga la forma nombre@ejemplo.es.',
  'fieldError.invalid_phone': 'Esto no parece un número de teléfono. Escribe sus cifras, por ejemplo +34 912 345 678.',
  'fieldError.contact_required': 'Danos un correo electrónico o un teléfono, para contarte lo que pasa.',
  'fieldError.duplicate': 'Esto ya está en tu solicitud.',
  'fieldError.invalid': 'Revisa esta respuesta, por favor.',

  'apiError.draft_not_found': 'No encontramos ninguna solicitud guardada con este código. Puede que haya caducado: las solicitudes guardadas se conservan solo unos días. Puedes empezar de nuevo.',
  'apiError.draft_token_required': 'Escribe o pega el código que recibiste al guardar tu solicitud.',
  'fieldError.signer_not_requester': 'Firma con tu nombre completo, tal como lo escribiste arriba. Solo puede firmar la persona de las imágenes o quien actúa en su nombre.',
};

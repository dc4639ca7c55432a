/** Gemeinsame Wörter beider Apps, auf Deutsch (siehe shared-en.ts). Muss von einer Muttersprachlerin geprüft werden. */
import type { SharedMessageId } from './shared-en.ts';

export const sharedDe: Record<SharedMessageId, string> = {
  'field.errorPrefix': 'Fehler: ',
  'errorSummary.title': '{count, plural, one {Bitte # Sache korrigieren} other {Bitte # Sachen korrigieren}}',
  'date.unknown': 'unbekannter Zeitpunkt',

  'apiError.network': 'Wir erreichen den Dienst gerade nicht. Prüfen Sie Ihre Internetverbindung und versuchen Sie es noch einmal. Auf dieser Seite ist nichts verloren.',
  'apiError.rate_limited': 'Zu viele Versuche von diesem Gerät in kurzer Zeit. Warten Sie eine Minute und versuchen Sie es noch einmal.',
  'apiError.busy': 'Der Dienst ist gerade sehr beschäftigt. Warten Sie eine Minute und versuchen Sie es noch einmal. Auf dieser Seite ist nichts verloren.',
  'apiError.internal_error': 'Bei uns ist etwas schiefgegangen. Es wurde nichts gespeichert. Versuchen Sie es in einer Minute noch einmal.',
  'apiError.body_too_large': 'Das ist zu groß zum Senden. Versuchen Sie eine kleinere Datei oder weniger Bilder.',
  'apiError.case_closed': 'Diese Anfrage ist abgeschlossen. Sie kann nicht mehr geändert werden. Sie können eine neue Anfrage senden.',
  'apiError.not_found': 'Wir haben das nicht gefunden. Prüfen Sie die Adresse und versuchen Sie es noch einmal.',
  'apiError.forbidden': 'Ihre Rolle erlaubt das nicht.',
  'apiError.wrong_credentials': 'Benutzername oder Passwort ist falsch. Prüfen Sie beides und versuchen Sie es noch einmal.',
  'apiError.too_many_attempts': 'Zu viele falsche Versuche. Zur Sicherheit bitte warten. Versuchen Sie es nach {retryAt} noch einmal.',
  'apiError.csrf_token_invalid': 'Ihre Sitzung ist abgelaufen. Laden Sie die Seite neu und versuchen Sie es noch einmal.',
  'apiError.not_signed_in': 'Bitte melden Sie sich erneut an.',
  'apiError.already_withdrawn': 'Diese Anfrage ist schon zurückgezogen.',
  'apiError.item_already_withdrawn': 'Dieser Eintrag ist schon zurückgezogen. Sie müssen nichts weiter tun.',
  'apiError.item_decided': 'Über diesen Eintrag ist schon entschieden, daher kann er jetzt nicht zurückgezogen werden. Ihre anderen Einträge bleiben, wie sie sind.',
  'apiError.item_not_found': 'Wir finden diesen Eintrag in Ihrer Anfrage nicht. Laden Sie die Seite neu und versuchen Sie es noch einmal.',
  'apiError.invalid_request': 'Im Formular muss etwas korrigiert werden. Prüfen Sie Ihre Antworten und versuchen Sie es noch einmal.',
  'apiError.unknown': 'Bei uns ist etwas schiefgegangen (Fehler {status}). Versuchen Sie es in einer Minute noch einmal.',

  'fieldError.required': 'Bitte füllen Sie dieses Feld aus.',
  'fieldError.too_long': 'Das ist zu lang. Bitte kürzen Sie es.',
  'fieldError.invalid_url': 'Das ist keine vollständige Webadresse. Bitte kopieren Sie die ganze Adresse, beginnend mit https://.',
  'fieldError.invalid_email': 'Das sieht nicht wie eine E-Mail-Adresse aus. Bitte prüfen Sie die Form name@beispiel.de.',
  'fieldError.invalid_phone': 'Das sieht nicht wie eine Telefonnummer aus. Bitte schreiben Sie die Ziffern, zum Beispiel +49 30 1234 5678.',
  'fieldError.contact_required': 'Geben Sie eine E-Mail-Adresse oder Telefonnummer an, damit wir Ihnen sagen können, was passiert.',
  'fieldError.duplicate': 'Das ist schon in Ihrer Anfrage.',
  'fieldError.invalid': 'Bitte prüfen Sie diese Antwort.',

  'apiError.draft_not_found': 'Wir haben keine gespeicherte Anfrage mit diesem Code gefunden. Vielleicht ist sie abgelaufen: Gespeicherte Anfragen bleiben nur wenige Tage. Sie können neu beginnen.',
  'apiError.draft_token_required': 'Tippen oder fügen Sie den Code ein, den Sie beim Speichern Ihrer Anfrage bekommen haben.',
  'fieldError.signer_not_requester': 'Bitte unterschreiben Sie mit Ihrem vollständigen Namen, wie oben geschrieben. Nur die Person auf den Bildern oder jemand, der für sie handelt, darf unterschreiben.',
};

/** Parole comuni alle due app, in italiano (vedi shared-en.ts). Da rivedere con una persona di madrelingua. */
import type { SharedMessageId } from './shared-en.ts';

export const sharedIt: Record<SharedMessageId, string> = {
  'field.errorPrefix': 'Errore: ',
  'errorSummary.title': '{count, plural, one {C’è # cosa da correggere} other {Ci sono # cose da correggere}}',
  'date.unknown': 'un momento non noto',

  'apiError.network': 'Non riusciamo a raggiungere il servizio. Controlla la connessione a internet e riprova. Niente è andato perso in questa pagina.',
  'apiError.rate_limited': 'Troppi tentativi da questo dispositivo in poco tempo. Aspetta un minuto e riprova.',
  'apiError.busy': 'Il servizio è molto occupato in questo momento. Aspetta un minuto e riprova. Niente è andato perso in questa pagina.',
  'apiError.internal_error': 'Qualcosa non ha funzionato da parte nostra. Non è stato salvato nulla. Riprova tra un minuto.',
  'apiError.body_too_large': 'È troppo grande da inviare. Prova con un file più piccolo o con meno immagini.',
  'apiError.case_closed': 'Questa richiesta è chiusa. Non si può più cambiare. Puoi inviare una nuova richiesta.',
  'apiError.not_found': 'Non l’abbiamo trovato. Controlla l’indirizzo e riprova.',
  'apiError.forbidden': 'Il tuo ruolo non permette di farlo.',
  'apiError.wrong_credentials': 'Nome utente o password sbagliati. Controlla entrambi e riprova.',
  'apiError.too_many_attempts': 'Troppi tentativi sbagliati. Per sicurezza, aspetta. Riprova dopo {retryAt}.',
  'apiError.csrf_token_invalid': 'La sessione è scaduta. Ricarica la pagina e riprova.',
  'apiError.not_signed_in': 'Accedi di nuovo, per favore.',
  'apiError.already_withdrawn': 'Questa richiesta è già stata ritirata.',
  'apiError.item_already_withdrawn': 'Questo elemento è già stato ritirato. Non serve fare altro.',
  'apiError.item_decided': 'Su questo elemento abbiamo già deciso, quindi ora non si può ritirare. Gli altri elementi non cambiano.',
  'apiError.item_not_found': 'Non troviamo questo elemento nella tua richiesta. Ricarica la pagina e riprova.',
  'apiError.invalid_request': 'Qualcosa nel modulo va corretto. Controlla le risposte e riprova.',
  'apiError.unknown': 'Qualcosa non ha funzionato da parte nostra (errore {status}). Riprova tra un minuto.',

  'fieldError.required': 'Compila questo campo, per favore.',
  'fieldError.too_long': 'È troppo lungo. Accorcialo, per favore.',
  'fieldError.invalid_url': 'Questo non è un indirizzo web completo. Copia tutto l’indirizzo, che inizia con https://.',
  'fieldError.invalid_email': 'Questo non sembra un indirizzo email. Controlla che abbia la forma nome@esempio.it.',
  'fieldError.invalid_phone': 'Questo non sembra un numero di telefono. Scrivi le cifre, per esempio +39 06 1234 5678.',
  'fieldError.contact_required': 'Indica un indirizzo email o un numero di telefono, così possiamo dirti cosa succede.',
  'fieldError.duplicate': 'Questo è già nella tua richiesta.',
  'fieldError.invalid': 'Controlla questa risposta, per favore.',

  'apiError.draft_not_found': 'Non abbiamo trovato una richiesta salvata con questo codice. Forse è scaduta: le richieste salvate restano solo pochi giorni. Puoi ricominciare.',
  'apiError.draft_token_required': 'Scrivi o incolla il codice che hai ricevuto quando hai salvato la richiesta.',
  'fieldError.signer_not_requester': 'Firma con il tuo nome completo, come l’hai scritto sopra. Può firmare solo la persona nelle immagini, o chi agisce per suo conto.',
};

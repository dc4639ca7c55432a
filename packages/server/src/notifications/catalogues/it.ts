import type { Catalogue } from './en.ts';

/** Messages to the person who asked, in Italian (the rules are in en.ts). */
export const it: Catalogue = {
  subject: 'Un aggiornamento sulla tua pratica',
  greeting: 'Ciao,',
  receipt: 'Abbiamo ricevuto la tua richiesta. Il numero della pratica è {caseNumber}. {items, plural, one {Ce ne occuperemo} other {Ci occuperemo di ciascuna delle # parti}} entro il {deadline, date, when}.',
  receiptPin: 'Conserva in un posto sicuro il PIN che ti è stato mostrato. Non lo inviamo mai e non te lo chiederemo mai.',
  itemConfirmed: 'La parte {position} della pratica {caseNumber} è stata approvata. Abbiamo chiesto che venga rimossa.',
  itemDeclined: 'Non abbiamo potuto approvare la parte {position} della pratica {caseNumber}. Nella pagina della pratica trovi il motivo e cosa puoi fare.',
  itemRemoved: 'La parte {position} della pratica {caseNumber} è stata rimossa il {at, date, when}.',
  appealReceived: 'Abbiamo ricevuto la tua richiesta di riesaminare la pratica {caseNumber}. Deciderà un’altra persona.',
  appealDecided: '{outcome, select, upheld {Abbiamo riesaminato la pratica {caseNumber}. La decisione resta la stessa.} other {Abbiamo riesaminato la pratica {caseNumber} e cambiato la decisione.}} I dettagli sono nella pagina della pratica.',
  draftExpiring: 'Una richiesta che hai iniziato resta salvata fino al {at, date, when}. Dopo verrà cancellata.',
  pinReset: 'Qualcuno ha chiesto un nuovo PIN per la pratica {caseNumber}. Il tuo codice è {code}. Vale una sola volta, per {minutes} minuti. Apri {link} e inseriscilo lì.',
  pinResetNotYou: 'Se non sei stato tu, non devi fare nulla. Il tuo PIN non cambia.',
  nextSteps: 'Per vedere la tua pratica vai su {link} con il numero della pratica e il PIN.',
  signOff: 'Ci hai chiesto di scriverti su questa pratica.',
};

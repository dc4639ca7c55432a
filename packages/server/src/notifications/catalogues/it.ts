import type { Catalogue } from './en.ts';

/** Messages to the person who asked, in Italian (the rules are in en.ts). */
export const it: Catalogue = {
  subject: 'Un aggiornamento sulla tua pratica',
  greeting: 'Ciao,',
  receipt: 'Abbiamo ricevuto la tua richiesta. Il numero della pratica è {caseNumber}. {items, plural, one {Ce ne occuperemo} other {Ci occuperemo di ciascuna delle # parti}} entro il {deadline, date, when}.',
  receiptPin: 'Conserva in un posto sicuro il PIN che ti è stato mostrato. Non lo inviamo mai e non te lo chiederemo mai.',
  itemConfirmed: 'La parte {position} della pratica {caseNumber} è stata approvata. Abbiamo chiesto che venga rimossa.',
  itemDeclined: 'Non abbiamo potuto approvare la parte {position} della pratica {caseNumber}. Nella pagina della pratica trovi il motivo e cosa puoi fare.',
  caseDecided: '{outcome, select, confirmed {{items, plural, one {# parte della pratica {caseNumber} è stata approvata. Abbiamo chiesto che venga rimossa. Ti scriveremo quando sarà rimossa.} other {# parti della pratica {caseNumber} sono state approvate. Abbiamo chiesto che vengano rimosse. Ti scriveremo ogni volta che una viene rimossa.}}} other {{items, plural, one {Non abbiamo potuto approvare # parte della pratica {caseNumber}.} other {Non abbiamo potuto approvare # parti della pratica {caseNumber}.}} Nella pagina della pratica trovi il motivo e cosa puoi fare.}}',
  itemRemoved: 'La parte {position} della pratica {caseNumber} è stata rimossa il {at, date, when}.',
  appealReceived: 'Chi ha pubblicato la parte {position} della pratica {caseNumber} ha chiesto di rivedere la nostra decisione. Deciderà un’altra persona. Nel frattempo resta rimossa.',
  appealDecided: '{outcome, select, unchanged {Abbiamo riesaminato la parte {position} della pratica {caseNumber}. La decisione resta la stessa: resta rimossa.} other {Abbiamo riesaminato la parte {position} della pratica {caseNumber}. Un’altra persona ha deciso che può tornare online. Se pensi che sia sbagliato, puoi inviare una nuova richiesta e raccontarci di più.}} I dettagli sono nella pagina della pratica.',
  notifierWarned: 'Non abbiamo potuto dare seguito a diverse tue richieste recenti, tra cui la pratica {caseNumber}. Invia solo richieste su foto o video di te, o di una persona per cui agisci. Se altre richieste non potranno avere seguito, potremmo sospendere per un po’ le tue nuove richieste. Se pensi che sia un errore, puoi chiederci di riesaminare dalla pagina della pratica.',
  notifierSuspended: 'Non abbiamo potuto dare seguito a diverse tue richieste recenti, tra cui la pratica {caseNumber}, quindi non accetteremo nuove richieste da te fino al {until, date, when}. Le richieste che riguardano una persona che aveva meno di 18 anni sono sempre accettate. Se pensi che sia un errore, puoi chiederci di riesaminare dalla pagina della pratica.',
  draftExpiring: 'Una richiesta che hai iniziato resta salvata fino al {at, date, when}. Dopo verrà cancellata.',
  pinReset: 'Qualcuno ha chiesto un nuovo PIN per la pratica {caseNumber}. Il tuo codice è {code}. Vale una sola volta, per {minutes} minuti. Apri {link} e inseriscilo lì.',
  pinResetNotYou: 'Se non sei stato tu, non devi fare nulla. Il tuo PIN non cambia.',
  nextSteps: 'Per vedere la tua pratica vai su {link} con il numero della pratica e il PIN.',
  signOff: 'Ci hai chiesto di scriverti su questa pratica.',
};

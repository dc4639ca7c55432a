import type { Catalogue } from './en.ts';

/** Messages to the person who asked, in French (the rules are in en.ts). */
export const fr: Catalogue = {
  subject: 'Du nouveau sur votre dossier',
  greeting: 'Bonjour,',
  receipt: 'Nous avons bien reçu votre demande. Votre numéro de dossier est {caseNumber}. {items, plural, one {Nous la traiterons} other {Nous traiterons chacune des # parties}} avant le {deadline, date, when}.',
  receiptPin: 'Gardez en lieu sûr le code PIN qui vous a été montré. Nous ne l’envoyons jamais et ne vous le demanderons jamais.',
  itemConfirmed: 'La partie {position} du dossier {caseNumber} a été approuvée. Nous avons demandé son retrait.',
  itemDeclined: 'Nous n’avons pas pu approuver la partie {position} du dossier {caseNumber}. La page de votre dossier indique pourquoi et ce que vous pouvez faire.',
  caseDecided: '{outcome, select, confirmed {{items, plural, one {# partie du dossier {caseNumber} a été approuvée. Nous avons demandé son retrait. Nous vous écrirons quand elle sera retirée.} other {# parties du dossier {caseNumber} ont été approuvées. Nous avons demandé leur retrait. Nous vous écrirons chaque fois que l’une d’elles sera retirée.}}} other {{items, plural, one {Nous n’avons pas pu approuver # partie du dossier {caseNumber}.} other {Nous n’avons pas pu approuver # parties du dossier {caseNumber}.}} La page de votre dossier indique pourquoi et ce que vous pouvez faire.}}',
  itemRemoved: 'La partie {position} du dossier {caseNumber} a été retirée le {at, date, when}.',
  appealReceived: 'La personne qui a publié la partie {position} du dossier {caseNumber} a demandé que notre décision soit revue. Une autre personne décidera. En attendant, elle reste retirée.',
  appealDecided: '{outcome, select, unchanged {Nous avons réexaminé la partie {position} du dossier {caseNumber}. La décision reste la même : elle reste retirée.} other {Nous avons réexaminé la partie {position} du dossier {caseNumber}. Une autre personne a décidé qu’elle peut revenir en ligne. Si vous pensez que c’est une erreur, vous pouvez envoyer une nouvelle demande et nous en dire plus.}} Les détails sont sur la page de votre dossier.',
  notifierWarned: 'Nous n’avons pas pu donner suite à plusieurs de vos demandes récentes, dont le dossier {caseNumber}. N’envoyez que des demandes concernant des photos ou vidéos de vous, ou d’une personne pour qui vous agissez. Si d’autres demandes ne peuvent pas aboutir, nous pourrions suspendre vos nouvelles demandes pendant un temps. Si vous pensez que c’est une erreur, vous pouvez nous demander de réexaminer depuis la page de votre dossier.',
  notifierSuspended: 'Nous n’avons pas pu donner suite à plusieurs de vos demandes récentes, dont le dossier {caseNumber} ; nous n’accepterons donc pas de nouvelles demandes de votre part avant le {until, date, when}. Les demandes concernant une personne qui avait moins de 18 ans sont toujours acceptées. Si vous pensez que c’est une erreur, vous pouvez nous demander de réexaminer depuis la page de votre dossier.',
  draftExpiring: 'Une demande que vous avez commencée est gardée jusqu’au {at, date, when}. Ensuite, elle sera effacée.',
  pinReset: 'Quelqu’un a demandé un nouveau code PIN pour le dossier {caseNumber}. Votre code est {code}. Il ne sert qu’une fois, pendant {minutes} minutes. Ouvrez {link} et saisissez-le.',
  pinResetNotYou: 'Si ce n’était pas vous, vous n’avez rien à faire. Votre code PIN ne change pas.',
  nextSteps: 'Pour voir votre dossier, allez sur {link} avec votre numéro de dossier et votre code PIN.',
  signOff: 'Vous nous avez demandé de vous écrire au sujet de ce dossier.',
};

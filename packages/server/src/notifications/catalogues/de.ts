import type { Catalogue } from './en.ts';

/** Messages to the person who asked, in German (the rules are in en.ts). */
export const de: Catalogue = {
  subject: 'Neuigkeiten zu Ihrem Fall',
  greeting: 'Hallo,',
  receipt: 'Wir haben Ihre Anfrage erhalten. Ihre Fallnummer ist {caseNumber}. Wir kümmern uns {items, plural, one {darum} other {um jeden der # Teile}} bis zum {deadline, date, when}.',
  receiptPin: 'Bewahren Sie die PIN, die Ihnen angezeigt wurde, sicher auf. Wir schicken sie nie und fragen nie danach.',
  itemConfirmed: 'Teil {position} von Fall {caseNumber} wurde genehmigt. Wir haben die Entfernung verlangt.',
  itemDeclined: 'Wir konnten Teil {position} von Fall {caseNumber} nicht genehmigen. Auf Ihrer Fallseite sehen Sie den Grund und was Sie tun können.',
  caseDecided: '{outcome, select, confirmed {{items, plural, one {# Teil von Fall {caseNumber} wurde genehmigt. Wir haben die Entfernung verlangt. Wir schreiben Ihnen, sobald er entfernt ist.} other {# Teile von Fall {caseNumber} wurden genehmigt. Wir haben die Entfernung verlangt. Wir schreiben Ihnen jedes Mal, wenn einer entfernt ist.}}} other {{items, plural, one {Wir konnten # Teil von Fall {caseNumber} nicht genehmigen.} other {Wir konnten # Teile von Fall {caseNumber} nicht genehmigen.}} Auf Ihrer Fallseite sehen Sie den Grund und was Sie tun können.}}',
  itemRemoved: 'Teil {position} von Fall {caseNumber} wurde am {at, date, when} entfernt.',
  appealReceived: 'Die Person, die Teil {position} von Fall {caseNumber} veröffentlicht hat, hat um eine neue Prüfung unserer Entscheidung gebeten. Eine andere Person entscheidet. Bis dahin bleibt er entfernt.',
  appealDecided: '{outcome, select, unchanged {Wir haben Teil {position} von Fall {caseNumber} noch einmal geprüft. Die Entscheidung bleibt: Er bleibt entfernt.} other {Wir haben Teil {position} von Fall {caseNumber} noch einmal geprüft. Eine andere Person hat entschieden, dass er wieder online gehen darf. Wenn Sie das für falsch halten, können Sie eine neue Anfrage senden und uns mehr erzählen.}} Die Einzelheiten stehen auf Ihrer Fallseite.',
  notifierWarned: 'Wir konnten mehreren Ihrer letzten Anfragen nicht nachkommen, darunter Fall {caseNumber}. Bitte senden Sie nur Anfragen zu Bildern oder Videos von Ihnen oder von einer Person, für die Sie handeln. Wenn weitere Anfragen nicht bearbeitet werden können, nehmen wir neue Anfragen von Ihnen eine Zeit lang vielleicht nicht an. Wenn Sie das für falsch halten, können Sie auf Ihrer Fallseite um eine erneute Prüfung bitten.',
  notifierSuspended: 'Wir konnten mehreren Ihrer letzten Anfragen nicht nachkommen, darunter Fall {caseNumber}. Deshalb nehmen wir bis {until, date, when} keine neuen Anfragen von Ihnen an. Anfragen zu einer Person, die unter 18 Jahre alt war, nehmen wir immer an. Wenn Sie das für falsch halten, können Sie auf Ihrer Fallseite um eine erneute Prüfung bitten.',
  draftExpiring: 'Eine Anfrage, die Sie begonnen haben, bleibt bis zum {at, date, when} gespeichert. Danach wird sie gelöscht.',
  pinReset: 'Jemand hat eine neue PIN für Fall {caseNumber} angefordert. Ihr Code lautet {code}. Er gilt einmal, {minutes} Minuten lang. Öffnen Sie {link} und geben Sie ihn dort ein.',
  pinResetNotYou: 'Falls Sie das nicht waren, müssen Sie nichts tun. Ihre PIN bleibt gleich.',
  nextSteps: 'Ihren Fall sehen Sie unter {link} mit Fallnummer und PIN.',
  signOff: 'Sie haben uns gebeten, Ihnen zu diesem Fall zu schreiben.',
};

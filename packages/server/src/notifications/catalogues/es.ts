import type { Catalogue } from './en.ts';

/** Messages to the person who asked, in Spanish (the rules are in en.ts). */
export const es: Catalogue = {
  subject: 'Novedades sobre tu caso',
  greeting: 'Hola:',
  receipt: 'Hemos recibido tu solicitud. El número de tu caso es {caseNumber}. Nos ocuparemos {items, plural, one {de ella} other {de cada una de las # partes}} antes del {deadline, date, when}.',
  receiptPin: 'Guarda en un lugar seguro el PIN que te mostramos. Nunca lo enviamos y nunca te lo pediremos.',
  itemConfirmed: 'La parte {position} del caso {caseNumber} fue aprobada. Hemos pedido que se retire.',
  itemDeclined: 'No pudimos aprobar la parte {position} del caso {caseNumber}. En la página de tu caso verás el motivo y qué puedes hacer.',
  caseDecided: '{outcome, select, confirmed {{items, plural, one {# parte del caso {caseNumber} fue aprobada. Hemos pedido que se retire. Te escribiremos cuando se haya retirado.} other {# partes del caso {caseNumber} fueron aprobadas. Hemos pedido que se retiren. Te escribiremos cada vez que se retire una.}}} other {{items, plural, one {No pudimos aprobar # parte del caso {caseNumber}.} other {No pudimos aprobar # partes del caso {caseNumber}.}} En la página de tu caso verás el motivo y qué puedes hacer.}}',
  itemRemoved: 'La parte {position} del caso {caseNumber} se retiró el {at, date, when}.',
  appealReceived: 'Quien publicó la parte {position} del caso {caseNumber} pidió que revisemos nuestra decisión. Decidirá otra persona. Mientras tanto, sigue retirada.',
  appealDecided: '{outcome, select, unchanged {Revisamos de nuevo la parte {position} del caso {caseNumber}. La decisión no cambia: sigue retirada.} other {Revisamos de nuevo la parte {position} del caso {caseNumber}. Otra persona decidió que puede volver a publicarse. Si crees que es un error, puedes enviar una nueva solicitud y contarnos más.}} Los detalles están en la página de tu caso.',
  notifierWarned: 'No pudimos dar curso a varias de tus solicitudes recientes, entre ellas el caso {caseNumber}. Envía solo solicitudes sobre fotos o vídeos tuyos, o de alguien en cuyo nombre actúas. Si más solicitudes no pueden atenderse, podríamos pausar tus nuevas solicitudes durante un tiempo. Si crees que es un error, puedes pedirnos que lo revisemos en la página de tu caso.',
  notifierSuspended: 'No pudimos dar curso a varias de tus solicitudes recientes, entre ellas el caso {caseNumber}, así que no aceptaremos nuevas solicitudes tuyas hasta el {until, date, when}. Las solicitudes sobre alguien que tenía menos de 18 años se aceptan siempre. Si crees que es un error, puedes pedirnos que lo revisemos en la página de tu caso.',
  draftExpiring: 'Una solicitud que empezaste se guarda hasta el {at, date, when}. Después se borrará.',
  pinReset: 'Alguien pidió un PIN nuevo para el caso {caseNumber}. Tu código es {code}. Sirve una sola vez, durante {minutes} minutos. Abre {link} e introdúcelo allí.',
  pinResetNotYou: 'Si no fuiste tú, no tienes que hacer nada. Tu PIN sigue igual.',
  nextSteps: 'Para ver tu caso, ve a {link} con tu número de caso y tu PIN.',
  signOff: 'Nos pediste que te escribiéramos sobre este caso.',
};

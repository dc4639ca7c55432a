/** Mots communs aux deux applications, en français (voir shared-en.ts). À faire relire par une personne de langue maternelle. */
import type { SharedMessageId } from './shared-en.ts';

export const sharedFr: Record<SharedMessageId, string> = {
  'field.errorPrefix': 'Erreur : ',
  'errorSummary.title': '{count, plural, one {Il y a # chose à corriger} other {Il y a # choses à corriger}}',
  'date.unknown': 'un moment inconnu',

  'apiError.network': 'Nous n’arrivons pas à joindre le service. Vérifiez votre connexion internet et réessayez. Rien n’est perdu sur cette page.',
  'apiError.rate_limited': 'Trop d’essais depuis cet appareil en peu de temps. Attendez une minute et réessayez.',
  'apiError.busy': 'Le service est très occupé en ce moment. Attendez une minute et réessayez. Rien n’est perdu sur cette page.',
  'apiError.internal_error': 'Un problème est survenu de notre côté. Rien n’a été enregistré. Réessayez dans une minute.',
  'apiError.body_too_large': 'C’est trop gros pour être envoyé. Essayez avec un fichier plus petit ou moins d’images.',
  'apiError.case_closed': 'Cette demande est close. Elle ne peut plus être modifiée. Vous pouvez envoyer une nouvelle demande.',
  'apiError.not_found': 'Nous ne l’avons pas trouvé. Vérifiez l’adresse et réessayez.',
  'apiError.forbidden': 'Votre rôle ne permet pas de faire cela.',
  'apiError.wrong_credentials': 'Nom d’utilisateur ou mot de passe incorrect. Vérifiez les deux et réessayez.',
  'apiError.too_many_attempts': 'Trop d’essais incorrects. Par sécurité, attendez. Réessayez après {retryAt}.',
  'apiError.csrf_token_invalid': 'Votre session a expiré. Rechargez la page et réessayez.',
  'apiError.not_signed_in': 'Connectez-vous à nouveau, s’il vous plaît.',
  'apiError.already_withdrawn': 'Cette demande est déjà retirée.',
  'apiError.item_already_withdrawn': 'Cet élément est déjà retiré. Il n’y a rien d’autre à faire.',
  'apiError.item_decided': 'Nous avons déjà décidé pour cet élément, il ne peut donc plus être retiré. Vos autres éléments ne changent pas.',
  'apiError.item_not_found': 'Nous ne trouvons pas cet élément dans votre demande. Rechargez la page et réessayez.',
  'apiError.invalid_request': 'Quelque chose est à corriger dans le formulaire. Vérifiez vos réponses et réessayez.',
  'apiError.unknown': 'Un problème est survenu de notre côté (erreur {status}). Réessayez dans une minute.',

  'fieldError.required': 'Remplissez ce champ, s’il vous plaît.',
  'fieldError.too_long': 'C’est trop long. Raccourcissez-le, s’il vous plaît.',
  'fieldError.invalid_url': 'Ce n’est pas une adresse web complète. Copiez toute l’adresse, qui commence par https://.',
  'fieldError.invalid_email': 'Cela ne ressemble pas à une adresse e-mail. Vérifiez qu’elle a la forme nom@exemple.fr.',
  'fieldError.invalid_phone': 'Cela ne ressemble pas à un numéro de téléphone. Écrivez ses chiffres, par exemple +33 1 23 45 67 89.',
  'fieldError.contact_required': 'Donnez une adresse e-mail ou un numéro de téléphone, pour que nous puissions vous dire ce qui se passe.',
  'fieldError.duplicate': 'C’est déjà dans votre demande.',
  'fieldError.invalid': 'Vérifiez cette réponse, s’il vous plaît.',

  'apiError.draft_not_found': 'Nous n’avons trouvé aucune demande enregistrée avec ce code. Elle a peut-être expiré : les demandes enregistrées ne sont gardées que quelques jours. Vous pouvez recommencer.',
  'apiError.draft_token_required': 'Tapez ou collez le code reçu quand vous avez enregistré votre demande.',
  'fieldError.signer_not_requester': 'Signez avec votre nom complet, comme vous l’avez écrit plus haut. Seule la personne sur les images, ou une personne qui agit pour elle, peut signer.',
};

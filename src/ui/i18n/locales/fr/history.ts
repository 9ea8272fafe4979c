/** Français : l'historique des appels. */
import type { history as en } from '../en/history';

export const history: typeof en = {
  title: 'Historique',
  empty: 'Aucun appel pour l’instant. Les appels passés et reçus s’affichent ici.',
  listLabel: 'Appels, du plus récent au plus ancien',
  direction: { incoming: 'Entrant', outgoing: 'Sortant' },
  result: {
    answered: 'Répondu',
    missed: 'Manqué',
    rejected: 'Refusé',
    failed: 'Échoué',
    cancelled: 'Annulé',
  },
  video: 'Vidéo',
  unknown: 'Appelant inconnu',
  duration: 'Durée {{duration}}',
  callBack: 'Rappeler',
  callBackLabel: 'Rappeler {{party}}',
  addContact: 'Ajouter aux contacts',
  addContactLabel: 'Ajouter {{party}} aux contacts',
  remove: 'Supprimer',
  removeLabel: 'Supprimer l’appel avec {{party}}',
  clear: 'Effacer l’historique',
  confirmClear: 'Supprimer tous les appels de l’historique ? C’est définitif.',
  confirmClearButton: 'Tout supprimer',
};

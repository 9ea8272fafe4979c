/** Français : la coquille de l'application, la barre d'état et ce que plusieurs écrans partagent. */
import type { CommonMessages } from '../en/common';

export const common: CommonMessages = {
  appName: 'Ringlet',
  tagline: 'Téléphone dans le navigateur',
  skipToContent: 'Aller au contenu principal',
  loading: 'Chargement…',
  nav: {
    label: 'Principale',
    phone: 'Téléphone',
    history: 'Historique',
    contacts: 'Contacts',
    settings: 'Réglages',
    account: 'Compte',
  },
  missedBadge_one: '{{count}} appel manqué',
  missedBadge_other: '{{count}} appels manqués',
  status: {
    label: 'Enregistrement',
    offline: 'Hors ligne',
    connecting: 'Connexion…',
    registered: 'Enregistré',
    reconnecting: 'Reconnexion…',
    failed: 'Échec de l’enregistrement',
    notConfigured: 'Aucun compte configuré',
    as: 'en tant que {{uri}}',
    server: 'via {{server}}',
    doNotDisturb: 'Ne pas déranger',
    reconnectingDetail: 'Nouvelle tentative automatique.',
  },
  failure: {
    'auth-failed': 'Nom d’utilisateur ou mot de passe incorrect.',
    rejected: 'Le serveur a refusé l’enregistrement.',
    rejectedWithStatus: 'Le serveur a refusé l’enregistrement ({{status}}).',
    timeout: 'Le serveur n’a pas répondu.',
    transport: 'Impossible de joindre le serveur.',
    detail: 'Détails : {{reason}}',
  },
  announce: {
    registered: 'Enregistré en tant que {{uri}}.',
    offline: 'Déconnecté.',
    connecting: 'Connexion au serveur.',
    reconnecting: 'Connexion perdue, reconnexion en cours.',
    failed: 'Échec de l’enregistrement : {{reason}}',
  },
  actions: {
    connect: 'Se connecter',
    disconnect: 'Se déconnecter',
    retry: 'Réessayer',
    setUpAccount: 'Configurer un compte',
    dismiss: 'Fermer',
    cancel: 'Annuler',
    close: 'Fermer',
  },
  notice: {
    invalidUser:
      'Le nom d’utilisateur « {{value}} » de l’adresse de la page a été ignoré : utilisez 1 à 32 caractères parmi a–z, 0–9, point, tiret bas et tiret.',
    devProfile: 'Profil de développement « {{user}} » sur le central de développement intégré.',
    storageUnavailable:
      'Ce navigateur refuse le stockage : réglages, historique et contacts ne durent que jusqu’à la fermeture de l’onglet.',
  },
  dial: {
    empty: 'Aucun numéro à appeler.',
    'invalid-target': 'Ce numéro ou cette adresse ne peut pas être appelé.',
    'not-connected': 'Non connecté : connectez d’abord votre compte.',
    failed: 'L’appel n’a pas pu démarrer.',
  },
  phonePlaceholder: 'Le clavier arrive bientôt.',
  shortcuts: {
    title: 'Raccourcis clavier',
    intro: 'Ils fonctionnent partout dans l’application.',
    none: 'Aucun raccourci',
  },
  commands: {
    showPhone: 'Afficher le téléphone',
    showHistory: 'Afficher l’historique des appels',
    showContacts: 'Afficher les contacts',
    showSettings: 'Afficher les réglages',
    showAccount: 'Afficher le compte',
  },
};

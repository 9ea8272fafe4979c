/** Français : l'écran des réglages. */
import type { settings as en } from '../en/settings';

export const settings: typeof en = {
  title: 'Réglages',
  devices: {
    legend: 'Périphériques audio et vidéo',
    microphone: 'Microphone',
    speaker: 'Haut-parleur',
    camera: 'Caméra',
    systemDefault: 'Par défaut du système',
    unnamed: {
      microphone: 'Microphone {{n}}',
      speaker: 'Haut-parleur {{n}}',
      camera: 'Caméra {{n}}',
    },
    unlabelled:
      'Les noms des périphériques apparaissent quand le navigateur peut utiliser le microphone (essayez « Tester le microphone »).',
    unavailable: 'Ce navigateur ne liste pas ses périphériques : ceux du système sont utilisés.',
    noSinkSelection: 'Ce navigateur joue le son sur le haut-parleur par défaut uniquement.',
    fallback:
      '« {{label}} » n’est plus disponible : retour au périphérique par défaut du système ({{kind}}).',
    fallbackUnnamed:
      'Le périphérique choisi ({{kind}}) n’est plus disponible : retour à celui par défaut du système.',
    kind: { microphone: 'microphone', speaker: 'haut-parleur', camera: 'caméra' },
  },
  mic: {
    start: 'Tester le microphone',
    stop: 'Arrêter le test du microphone',
    level: 'Niveau du microphone',
    hint: 'Parlez : la barre bouge quand le microphone vous entend.',
    error: 'Le microphone n’a pas pu être ouvert : {{reason}}',
    unsupported: 'Ce navigateur ne peut pas ouvrir le microphone ici (une page sécurisée est nécessaire).',
  },
  sound: {
    play: 'Jouer un son de test',
    playing: 'Lecture…',
    error: 'Le son de test n’a pas pu être joué : {{reason}}',
  },
  calls: {
    legend: 'Appels',
    ringtoneVolume: 'Volume de la sonnerie',
    autoAnswer: 'Répondre automatiquement aux appels',
    doNotDisturb: 'Ne pas déranger',
    doNotDisturbHint: 'Les appels entrants sont refusés et notés comme manqués.',
  },
  appearance: {
    legend: 'Apparence',
    theme: 'Thème',
    light: 'Clair',
    dark: 'Sombre',
    system: 'Comme le système',
    language: 'Langue',
  },
  languages: { en: 'English', fr: 'Français' },
};

/**
 * Browser notifications for incoming calls while the tab is hidden (WHATWG Notifications API,
 * Page Visibility `document.visibilityState`). Permission is only ever asked from a click, never on
 * page load: browsers penalise (and people resent) unprompted permission requests.
 */

export type NotificationAccess = NotificationPermission | 'unsupported';

export interface ShownNotification {
  close(): void;
}

/** The notification API the call screens use; tests pass a fake. */
export interface NotificationPort {
  permission(): NotificationAccess;
  /** Call from a user gesture. Resolves with the new permission; never rejects. */
  requestPermission(): Promise<NotificationAccess>;
  /** Shows a notification when permitted; null otherwise. */
  show(title: string, options: { body: string; tag: string; onClick: () => void }): ShownNotification | null;
}

export function browserNotifications(): NotificationPort {
  const api = (globalThis as { Notification?: typeof Notification }).Notification;
  return {
    permission: () => (api ? api.permission : 'unsupported'),
    async requestPermission() {
      if (!api) return 'unsupported';
      try {
        return await api.requestPermission();
      } catch {
        return api.permission;
      }
    },
    show(title, { body, tag, onClick }) {
      if (!api || api.permission !== 'granted') return null;
      try {
        // `requireInteraction`: a call notification must stay until the person reacts or it stops ringing.
        const notification = new api(title, { body, tag, requireInteraction: true });
        notification.onclick = () => {
          onClick();
          notification.close();
        };
        return notification;
      } catch {
        // Some browsers (Android Chrome) only allow notifications from a service worker.
        return null;
      }
    },
  };
}

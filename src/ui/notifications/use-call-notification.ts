/**
 * Shows a browser notification for a ringing call while the tab is hidden, and closes it when the
 * tab becomes visible or the call stops ringing. Clicking it brings the tab to the front.
 */
import { useEffect } from 'react';
import type { NotificationPort } from './call-notifications';

export interface RingingCallNotice {
  readonly callId: string;
  readonly title: string;
  readonly body: string;
}

export function useCallNotification(port: NotificationPort, notice: RingingCallNotice | null): void {
  const callId = notice?.callId;
  const title = notice?.title;
  const body = notice?.body;
  useEffect(() => {
    if (callId === undefined || title === undefined || body === undefined) return;
    let shown: ReturnType<NotificationPort['show']> = null;
    const update = (): void => {
      if (document.visibilityState === 'hidden') {
        shown ??= port.show(title, { body, tag: `ringlet-call-${callId}`, onClick: () => window.focus() });
      } else {
        shown?.close();
        shown = null;
      }
    };
    update();
    document.addEventListener('visibilitychange', update);
    return () => {
      document.removeEventListener('visibilitychange', update);
      shown?.close();
    };
  }, [port, callId, title, body]);
}

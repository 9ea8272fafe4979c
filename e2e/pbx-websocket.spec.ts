/**
 * Proves the e2e harness reaches the test PBX: Chromium opens a SIP-over-WebSocket connection
 * (RFC 7118) to the Kamailio of test/kamailio and gets 200 to an OPTIONS, on both listeners.
 * Real softphone tests build on the same `pbx` fixture.
 */
import { expect, test } from './fixtures';

test('the browser talks SIP over WebSocket to the test PBX', async ({ page, pbx }) => {
  await page.goto('/');
  for (const url of pbx.wsUrls) {
    const result = await page.evaluate(
      async ({ url, domain }) => {
        const ws = new WebSocket(url, 'sip');
        await new Promise<void>((resolve, reject) => {
          ws.onopen = () => resolve();
          ws.onerror = () => reject(new Error(`WebSocket to ${url} failed`));
        });
        const callId = `e2e-${Date.now()}`;
        const reply = new Promise<string>((resolve) => {
          ws.onmessage = (event) => resolve(String(event.data));
        });
        ws.send(
          [
            `OPTIONS sip:${domain} SIP/2.0`,
            'Via: SIP/2.0/WS e2e.invalid;branch=z9hG4bKe2e' + callId,
            'Max-Forwards: 70',
            `From: <sip:alice@${domain}>;tag=e2e`,
            `To: <sip:${domain}>`,
            `Call-ID: ${callId}`,
            'CSeq: 1 OPTIONS',
            'Content-Length: 0',
            '',
            '',
          ].join('\r\n'),
        );
        const text = await reply;
        const protocol = ws.protocol;
        ws.close();
        return { protocol, statusLine: text.split('\r\n')[0] };
      },
      { url, domain: pbx.domain },
    );
    expect(result.protocol).toBe('sip');
    expect(result.statusLine).toBe('SIP/2.0 200 OK');
  }
});

/**
 * The JsSIP side of the call bench (jssip.html): a `JsSIP.UA` over `JsSIP.WebSocketInterface`
 * (which opens `new WebSocket(url, 'sip')` on the global class, wrapped by the probe first),
 * audio-only calls with no ICE servers, the callee answering as soon as the session is reported.
 * Library defaults everywhere else, as an application would ship them.
 */
import * as JsSIP from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent } from 'jssip/lib/UA';
import { Probe, now, readParams, type BenchPage } from './probe';

const params = readParams(window.location.search);
const probe = new Probe();
probe.install();
const status = document.getElementById('status');
const show = (text: string): void => {
  if (status) status.textContent = text;
};

const media = {
  mediaConstraints: { audio: true, video: false },
  pcConfig: { iceServers: [] },
};

const ua = new JsSIP.UA({
  sockets: [new JsSIP.WebSocketInterface(params.ws)],
  uri: params.uri,
  authorization_user: params.user,
  password: params.password,
  register: true,
});

let session: RTCSession | undefined;

function track(s: RTCSession): void {
  session = s;
  const marks = probe.current;
  const finish = (): void => {
    marks.ended = now();
    if (session === s) session = undefined;
  };
  s.on('ended', finish);
  s.on('failed', (e: { originator: string; cause: string }) => {
    if (e.originator !== 'remote' || marks.audioSeen === undefined) marks.error ??= `failed: ${e.cause}`;
    finish();
  });
}

const registered = new Promise<void>((resolve, reject) => {
  ua.on('registered', () => {
    show('registered');
    resolve();
  });
  ua.on('registrationFailed', (e) => {
    show(`registration failed: ${e.cause}`);
    reject(new Error(`registration failed: ${e.cause}`));
  });
});

ua.on('newRTCSession', (e: RTCSessionEvent) => {
  if (e.originator !== 'remote') return;
  const s = e.session;
  probe.current.incoming = now();
  track(s);
  probe.current.answerStart = now();
  s.answer(media);
});

ua.start();

const page: BenchPage = {
  ready: () => registered,
  call(target) {
    probe.reset();
    probe.current.callStart = now();
    track(ua.call(target, media));
  },
  hangup() {
    session?.terminate();
  },
  busy: () => session !== undefined,
  marks: () => structuredClone(probe.current),
  reset: () => probe.reset(),
};
window.callBench = page;

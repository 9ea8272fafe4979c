/**
 * The Ringlet side of the call bench (ringlet.html): one phone from src/phone (contract.md) given
 * the probe's wrapped WebSocket class, audio-only calls with no ICE servers, the callee answering
 * as soon as the `incoming` event fires. Phone defaults everywhere else (ICE gathering timeout,
 * codecs, session timers), as the app ships them.
 */
import { createPhone, type Call } from '../../src/phone/index';
import { Probe, now, readParams, type BenchPage } from './probe';

const params = readParams(window.location.search);
const iceTimeout = new URLSearchParams(window.location.search).get('iceTimeout');
const probe = new Probe();
const TappedWebSocket = probe.install();
const status = document.getElementById('status');
const show = (text: string): void => {
  if (status) status.textContent = text;
};

const phone = createPhone({
  account: {
    servers: [params.ws],
    uri: params.uri,
    authorizationUser: params.user,
    password: params.password,
  },
  WebSocket: TappedWebSocket,
  media: {
    iceServers: [],
    // What-if only (RINGLET_BENCH_ICE_TIMEOUT_MS, see call-bench.ts); absent = the phone's default.
    ...(iceTimeout !== null ? { iceGatheringTimeoutMs: Number(iceTimeout) } : {}),
  },
});

let current: Call | undefined;

function track(call: Call): void {
  current = call;
  const marks = probe.current;
  call.on('ended', (info) => {
    marks.ended = now();
    if (info.originator === 'system' || (info.cause !== 'bye' && info.cause !== 'cancel')) {
      marks.error ??= `ended: ${info.originator} ${info.cause} ${info.reason ?? ''}`;
    }
    if (current === call) current = undefined;
  });
}

phone.on('incoming', (call) => {
  probe.current.incoming = now();
  track(call);
  probe.current.answerStart = now();
  call.answer({ video: false }).catch((error: unknown) => (probe.current.error ??= String(error)));
});

const registered = (async (): Promise<void> => {
  await phone.start();
  const result = await phone.register();
  show(`registration: ${JSON.stringify(result)}`);
  if (result.state !== 'registered') throw new Error(`not registered: ${JSON.stringify(result)}`);
})();

const page: BenchPage = {
  ready: () => registered,
  call(target) {
    probe.reset();
    probe.current.callStart = now();
    track(phone.call(target, { video: false }));
  },
  hangup() {
    current?.hangup().catch((error: unknown) => (probe.current.error ??= String(error)));
  },
  busy: () => current !== undefined,
  marks: () => structuredClone(probe.current),
  reset: () => probe.reset(),
};
window.callBench = page;

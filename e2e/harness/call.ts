/**
 * Entry of call.html: the real phone (src/phone/index.ts) adapted to the shape call-harness.ts
 * drives. Only this file knows the phone API, so its drift is fixed here.
 */
import { createPhone, type Call } from '../../src/phone/index';
import { createLogger } from '../../src/sip/index';
import { mountCallHarness, trackPeerConnections, type HarnessCall } from './call-harness';

// Before the phone exists, so every RTCPeerConnection it makes can be dumped on failure.
const peerConnections = trackPeerConnections(window);

function adaptCall(call: Call): HarnessCall {
  return {
    get direction() {
      return call.direction;
    },
    get remote() {
      return call.remote;
    },
    get state() {
      return call.state;
    },
    get muted() {
      return call.muted;
    },
    holdState: () => ({ ...call.holdState }),
    remoteStream: () => call.remoteStream,
    onState: (listener) => void call.on('state', listener),
    onProgress: (listener) => void call.on('progress', listener),
    onHeld: (listener) => void call.on('held', listener),
    onRemoteStream: (listener) => void call.on('remoteStream', () => listener()),
    onDtmf: (listener) => void call.on('dtmf', listener),
    onEnded: (listener) => void call.on('ended', listener),
    answer: (options) => call.answer(options),
    reject: (status) => call.reject(status),
    hangup: () => call.hangup(),
    hold: () => call.hold(),
    resume: () => call.resume(),
    mute: (muted) => call.mute(muted),
    sendDtmf: (tones) => call.sendDtmf(tones),
    getStats: () => call.getStats(),
  };
}

mountCallHarness(
  document,
  window.location.search,
  (options) => {
    const phone = createPhone({
      ...options,
      logger: createLogger(options.logger, 'ringlet', options.logLevel),
    });
    return {
      onRegistration: (listener) => void phone.on('registration', listener),
      onIncoming: (listener) => void phone.on('incoming', (call: Call) => listener(adaptCall(call))),
      start: () => phone.start(),
      register: () => phone.register(),
      call: (target, callOptions) => adaptCall(phone.call(target, callOptions)),
    };
  },
  peerConnections,
);

/**
 * Page-side instrumentation shared by the two call-bench pages (ringlet.html, jssip.html), so both
 * implementations are timed by exactly the same code:
 *
 * - the WebSocket class is wrapped before the library sees it: every text frame is timestamped when
 *   the library calls `send()` (outbound) or when the `message` event is dispatched (inbound, our
 *   listener is registered in the constructor, before the library's own);
 * - `RTCPeerConnection` and `getUserMedia` are wrapped to know the call's peer connection without
 *   asking the library, and to time the steps before the INVITE (device, offer, ICE gathering);
 * - the first inbound audio packet is found by polling `getStats()` every {@link POLL_MS} ms once
 *   the 200 for the INVITE has arrived (caller) or left (callee) - media cannot flow before: the
 *   offerer is the controlling ICE agent and needs the answer's candidates - then refined with the inbound-rtp
 *   `lastPacketReceivedTimestamp` when only a few packets have arrived (20 ms ptime).
 *
 * All times are epoch milliseconds with sub-millisecond precision (`performance.timeOrigin +
 * performance.now()`), so the pages of one browser can be compared.
 */

export const POLL_MS = 20;
/** Opus and PCMU both default to 20 ms packets in Chromium. */
const PTIME_MS = 20;

export function now(): number {
  return performance.timeOrigin + performance.now();
}

export interface WireFrame {
  readonly at: number;
  readonly direction: 'out' | 'in';
  /** Request method, or `<status> <CSeq method>` for a response, e.g. `180 INVITE`. */
  readonly summary: string;
}

/** What one page saw of the current call; the driver turns it into intervals. */
export interface CallMarks {
  /** Caller: just before the library's call method. */
  callStart?: number;
  /** Callee: the library reported the incoming call. */
  incoming?: number;
  /** Callee: just before the library's answer method. */
  answerStart?: number;
  /** The 200 for the INVITE arrived (caller) or left (callee) and audio polling started. */
  pollStart?: number;
  /** First poll that saw inbound audio packets. */
  audioSeen?: number;
  /** `audioSeen` refined from lastPacketReceivedTimestamp (see module doc), when usable. */
  audioEstimate?: number;
  /** packetsReceived at the first poll that saw audio. */
  audioPacketsAtSeen?: number;
  /** Number of getStats polls it took. */
  polls?: number;
  /** Candidates in the INVITE's SDP (caller) . */
  localCandidates?: number;
  /** First getUserMedia of the call: called / resolved. */
  gumStart?: number;
  gumEnd?: number;
  /** The call's RTCPeerConnection was constructed. */
  pcCreated?: number;
  /** First setLocalDescription() call on it. */
  sldStart?: number;
  /** Its iceGatheringState became "complete". */
  gatheringComplete?: number;
  /** Its last non-null `icecandidate` event before gathering completed. */
  lastCandidate?: number;
  /** The call ended on this page (either side's hang-up). */
  ended?: number;
  error?: string;
  frames: WireFrame[];
}

export interface BenchPage {
  /** Resolves once registered. */
  ready(): Promise<void>;
  /** Places a call (caller page). Marks reset first. */
  call(target: string): void;
  /** Hangs up the current call, if any. */
  hangup(): void;
  /** True while a call exists on this page. */
  busy(): boolean;
  marks(): CallMarks;
  /** Clears the marks (callee page, before each round). */
  reset(): void;
}

declare global {
  interface Window {
    callBench?: BenchPage;
  }
}

/** A frame's one-word summary; `keep-alive` for the CRLF pings of RFC 7118 §6 / RFC 5626. */
export function summarise(text: string): string {
  const firstLine = text.slice(0, Math.max(0, text.indexOf('\r\n')));
  const status = /^SIP\/2\.0 (\d{3})/.exec(firstLine);
  if (status) {
    const cseq = /\r\nCSeq:\s*\d+\s+([A-Za-z]+)/i.exec(text);
    return `${status[1]} ${cseq?.[1] ?? '?'}`;
  }
  return /^([A-Z]+) /.exec(firstLine)?.[1] ?? (text.trim() === '' ? 'keep-alive' : '?');
}

/** Frames the call metrics are about (registration refreshes and keep-alives are not). */
export function isCallFrame(summary: string): boolean {
  return !/^(keep-alive|OPTIONS|REGISTER|\d{3} (OPTIONS|REGISTER))$/.test(summary);
}

/** The mutable marks of the current call plus the hooks that fill them. */
export class Probe {
  current: CallMarks = { frames: [] };
  private pc: RTCPeerConnection | undefined;
  private polling = false;

  reset(): void {
    this.current = { frames: [] };
    this.polling = false;
  }

  /** Wraps `WebSocket`, `RTCPeerConnection` and `getUserMedia`; returns the wrapped WebSocket class. */
  install(): typeof WebSocket {
    const NativeWebSocket = window.WebSocket;
    const NativePeerConnection = window.RTCPeerConnection;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the classes below need the probe, not themselves
    const probe = this;
    class TappedWebSocket extends NativeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('message', (event: MessageEvent) => {
          if (typeof event.data === 'string') probe.frame('in', event.data);
        });
      }
      override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
        if (typeof data === 'string') probe.frame('out', data);
        super.send(data);
      }
    }
    class TappedPeerConnection extends NativePeerConnection {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        probe.pc = this;
        const marks = probe.current;
        marks.pcCreated = now();
        this.addEventListener('icegatheringstatechange', () => {
          if (this.iceGatheringState === 'complete') marks.gatheringComplete ??= now();
        });
        this.addEventListener('icecandidate', (event: RTCPeerConnectionIceEvent) => {
          if (event.candidate !== null && marks.gatheringComplete === undefined) marks.lastCandidate = now();
        });
      }
      override setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
        probe.current.sldStart ??= now();
        return super.setLocalDescription(description);
      }
    }
    const devices = navigator.mediaDevices;
    const nativeGetUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints?: MediaStreamConstraints): Promise<MediaStream> => {
      const marks = probe.current;
      const first = marks.gumStart === undefined;
      if (first) marks.gumStart = now();
      const stream = await nativeGetUserMedia(constraints);
      if (first) marks.gumEnd = now();
      return stream;
    };
    window.WebSocket = TappedWebSocket;
    window.RTCPeerConnection = TappedPeerConnection;
    return TappedWebSocket;
  }

  private frame(direction: 'out' | 'in', text: string): void {
    const at = now();
    const summary = summarise(text);
    if (!isCallFrame(summary)) return;
    this.current.frames.push({ at, direction, summary });
    if (direction === 'out' && summary === 'INVITE' && this.current.localCandidates === undefined) {
      this.current.localCandidates = (text.match(/\r\na=candidate:/g) ?? []).length;
    }
    // The caller polls once the 200 arrives, the callee once it sends it.
    if (summary === '200 INVITE') this.startPolling();
  }

  private startPolling(): void {
    if (this.polling || this.current.audioSeen !== undefined) return;
    this.polling = true;
    const marks = this.current;
    marks.pollStart = now();
    marks.polls = 0;
    const tick = async (): Promise<void> => {
      if (!this.polling || marks !== this.current) return;
      const pc = this.pc;
      if (pc && pc.signalingState !== 'closed') {
        marks.polls = (marks.polls ?? 0) + 1;
        const report = await pc.getStats();
        const seenAt = now();
        for (const stat of report.values() as IterableIterator<Record<string, unknown>>) {
          if (stat['type'] !== 'inbound-rtp' || stat['kind'] !== 'audio') continue;
          const packets = Number(stat['packetsReceived'] ?? 0);
          if (packets <= 0) continue;
          marks.audioSeen = seenAt;
          marks.audioPacketsAtSeen = packets;
          // Chromium reports lastPacketReceivedTimestamp on the epoch clock, like stat.timestamp.
          const last = Number(stat['lastPacketReceivedTimestamp']);
          const estimate = last - (packets - 1) * PTIME_MS;
          if (Number.isFinite(estimate) && estimate <= seenAt && estimate >= seenAt - 10 * POLL_MS) {
            marks.audioEstimate = estimate;
          }
          this.polling = false;
          return;
        }
      }
      setTimeout(() => void tick().catch((e: unknown) => (marks.error = String(e))), POLL_MS);
    };
    void tick().catch((e: unknown) => (marks.error = String(e)));
  }
}

/** Reads `ws`, `uri`, `password` and optionally `user` (default: the URI's user part) from the query string. */
export function readParams(search: string): {
  ws: string;
  uri: string;
  user: string;
  password: string;
} {
  const params = new URLSearchParams(search);
  const get = (name: string): string => {
    const value = params.get(name);
    if (value === null || value === '') throw new Error(`missing query parameter ${name}`);
    return value;
  };
  const uri = get('uri');
  return {
    ws: get('ws'),
    uri,
    user: params.get('user') ?? /^sip:([^@]+)@/.exec(uri)?.[1] ?? '',
    password: get('password'),
  };
}

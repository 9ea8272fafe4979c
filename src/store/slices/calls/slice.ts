/**
 * Calls slice: every line the phone has, keyed by call id, mirrored from the {@link CallEngine} port
 * (RFC 3261 §13–15 sessions as plain snapshots), plus the commands a person gives: dial, answer,
 * decline, hang up, hold, resume, mute, DTMF, switch line.
 *
 * Call waiting: answering (or resuming, or dialling) while another call is established holds that
 * call first; `activeCallId` is the call in front of the person.
 *
 * Guard ladder: a command on an unknown call, or one its state does not allow (answering a call that
 * is no longer ringing), throws {@link InvalidStateError} synchronously, before any work. A command
 * the engine fails is logged; the engine's next snapshot says what happened.
 */
import { InvalidStateError } from '../../../sip/index';
import type { CallEnd, CallEngine, CallSnapshot, CallState } from '../../ports/call-engine';
import { CALL_STATES, RECEIVED_DTMF_LIMIT } from '../../ports/call-engine';
import type { SliceContext } from '../../phone-state';
import { dtmfDigits, normaliseDialTarget } from '../../support/dial-target';
import { oneOf, plainText } from '../../support/guards';
import { errorText } from '../../support/log';
import { addHistoryEntry, historyEntryFromCall } from '../history/slice';

/**
 * One call in the store: the engine's snapshot after the slice's checks (`remote` is plain text,
 * rendered as text, never as HTML; `receivedDtmf` only `0-9*#A-D`; read `camera` through
 * `callSelectors.cameraOn`), plus the times the store keeps.
 */
export interface CallEntry extends Omit<CallSnapshot, 'end'> {
  readonly startedAt: number;
  /** First time the call was established; null while unanswered. */
  readonly answeredAt: number | null;
  readonly endedAt: number | null;
  readonly end: CallEnd | null;
  /** Who turned an incoming call away, when it was us. */
  readonly declinedBy: 'user' | 'do-not-disturb' | null;
}

export type DialResult =
  | { readonly ok: true; readonly callId: string }
  | { readonly ok: false; readonly reason: 'empty' | 'invalid-target' | 'not-connected' | 'failed' };

export interface CallsData {
  readonly byId: Readonly<Record<string, CallEntry>>;
  /** Ids in the order the calls began. */
  readonly order: readonly string[];
  readonly activeCallId: string | null;
  /** What is typed on the dialpad, kept until dialled. */
  readonly dialDraft: string;
}

export interface CallsSlice extends CallsData {
  setDialDraft(value: string): void;
  /** Calls a number or SIP address; with no target, the dialpad draft. Returns why it could not. */
  dial(target?: string, options?: { video?: boolean }): DialResult;
  /** Calls the last dialled number again. */
  redial(options?: { video?: boolean }): DialResult;
  /** @throws InvalidStateError unless `id` is an incoming call that is ringing. */
  answer(id: string, options?: { video?: boolean }): Promise<void>;
  /** Turns a ringing incoming call away (486 Busy Here). @throws InvalidStateError as `answer`. */
  decline(id: string): Promise<void>;
  /** Ends a call in any state but `ended` (declines a ringing incoming one). @throws InvalidStateError */
  hangup(id: string): Promise<void>;
  /** @throws InvalidStateError unless the call is established. */
  hold(id: string): Promise<void>;
  /** Resumes a call we hold, holding whichever other call is established. @throws InvalidStateError */
  resume(id: string): Promise<void>;
  /** Brings a call to the front: resumes it if we hold it. @throws InvalidStateError */
  switchTo(id: string): Promise<void>;
  /** @throws InvalidStateError for an ended call. */
  setMuted(id: string, on: boolean): void;
  /**
   * Our camera off (released, no renegotiation) or on again in a video call; the engine's next
   * snapshot carries `camera`. @throws InvalidStateError unless the call is live, past ringing
   * here, and has video.
   */
  setCamera(id: string, on: boolean): Promise<void>;
  /** Sends the valid DTMF digits of `digits` (others dropped). @throws InvalidStateError unless established. */
  sendDtmf(id: string, digits: string): void;
  /** Removes an ended call from the screen. @throws InvalidStateError unless ended. */
  dismiss(id: string): void;
}

const ESTABLISHED: readonly CallState[] = ['connected', 'on-hold', 'held-by-remote'];
/** Ended calls kept for the screen to show "call ended"; older ones are pruned. */
const KEPT_ENDED_CALLS = 3;
/** 486 Busy Here: decline and do-not-disturb; lets the caller's PBX divert to voicemail. */
const DECLINE_STATUS = 486;

export function isEstablished(state: CallState): boolean {
  return ESTABLISHED.includes(state);
}

export function isLive(call: CallEntry): boolean {
  return call.state !== 'ended';
}

function isRingingIncoming(call: CallEntry): boolean {
  return call.direction === 'incoming' && call.state === 'ringing';
}

/** The call that should be in front after `endedId` ended: the newest live call that is not ringing here. */
export function nextActiveCallId(data: CallsData, endedId: string): string | null {
  if (data.activeCallId !== endedId) return data.activeCallId;
  for (let i = data.order.length - 1; i >= 0; i--) {
    const call = data.byId[data.order[i] ?? ''];
    if (call && call.id !== endedId && isLive(call) && !isRingingIncoming(call)) return call.id;
  }
  return null;
}

/** Drops the oldest ended calls beyond {@link KEPT_ENDED_CALLS}; pure. */
function pruneEnded(data: Pick<CallsData, 'byId' | 'order'>): Pick<CallsData, 'byId' | 'order'> {
  const ended = data.order.filter((id) => data.byId[id]?.state === 'ended');
  if (ended.length <= KEPT_ENDED_CALLS) return data;
  const drop = new Set(ended.slice(0, ended.length - KEPT_ENDED_CALLS));
  const byId: Record<string, CallEntry> = {};
  for (const [id, call] of Object.entries(data.byId)) if (!drop.has(id)) byId[id] = call;
  return { byId, order: data.order.filter((id) => !drop.has(id)) };
}

/** Snapshots come from the engine but carry network text: keep them plain and bounded. */
function cleanSnapshot(snapshot: CallSnapshot): CallSnapshot {
  return {
    ...snapshot,
    remote: { name: plainText(snapshot.remote?.name), number: plainText(snapshot.remote?.number) },
    state: oneOf(CALL_STATES, snapshot.state) ?? 'ended',
    ...(typeof snapshot.receivedDtmf === 'string'
      ? { receivedDtmf: dtmfDigits(snapshot.receivedDtmf).slice(-RECEIVED_DTMF_LIMIT) }
      : { receivedDtmf: undefined }),
  };
}

function entryFrom(snapshot: CallSnapshot, prev: CallEntry | undefined, now: number): CallEntry {
  const ended = snapshot.state === 'ended';
  return {
    id: snapshot.id,
    direction: prev?.direction ?? snapshot.direction,
    remote:
      snapshot.remote.number || snapshot.remote.name ? snapshot.remote : (prev?.remote ?? snapshot.remote),
    state: snapshot.state,
    video: snapshot.video,
    muted: snapshot.muted,
    onHold: snapshot.onHold,
    ...(snapshot.camera !== undefined
      ? { camera: snapshot.camera }
      : prev?.camera !== undefined
        ? { camera: prev.camera }
        : {}),
    // The engine reports every digit so far; a snapshot that does not tell keeps what was shown.
    ...(snapshot.receivedDtmf
      ? { receivedDtmf: snapshot.receivedDtmf }
      : prev?.receivedDtmf
        ? { receivedDtmf: prev.receivedDtmf }
        : {}),
    startedAt: prev?.startedAt ?? now,
    answeredAt: prev?.answeredAt ?? (isEstablished(snapshot.state) ? now : null),
    endedAt: ended ? now : null,
    end: ended ? (snapshot.end ?? { originator: 'system', cause: 'dialog-error' }) : null,
    declinedBy: prev?.declinedBy ?? null,
  };
}

/**
 * Applies one engine snapshot: inserts or updates the call; on its end, records history and picks the
 * call now in front. A snapshot for a call already ended is ignored (the end is final).
 */
export function applyCallSnapshot(ctx: SliceContext, raw: CallSnapshot): void {
  const snapshot = cleanSnapshot(raw);
  const now = ctx.clock.now();
  const calls = ctx.get().calls;
  const prev = calls.byId[snapshot.id];
  if (prev?.state === 'ended') return;
  const entry = entryFrom(snapshot, prev, now);
  const byId = { ...calls.byId, [entry.id]: entry };
  const order = prev ? calls.order : [...calls.order, entry.id];
  if (entry.state !== 'ended') {
    ctx.update('calls', { byId, order });
    return;
  }
  const data: CallsData = { ...calls, byId, order };
  ctx.update('calls', { ...pruneEnded(data), activeCallId: nextActiveCallId(data, entry.id) });
  const historyEntry = historyEntryFromCall(entry, ctx.ids(), now);
  ctx.update('history', (h) => ({ entries: addHistoryEntry(h.entries, historyEntry) }));
}

/** Marks every live call ended without the engine (the account is going away). */
export function endAllCalls(ctx: SliceContext, end: CallEnd): void {
  for (const call of Object.values(ctx.get().calls.byId)) {
    if (isLive(call)) applyCallSnapshot(ctx, { ...call, state: 'ended', end });
  }
}

/** Subscribes the store to an engine; returns the unsubscribe function. */
export function bindCallEngine(ctx: SliceContext, engine: CallEngine): () => void {
  const offIncoming = engine.on('incoming', (snapshot) => onIncoming(ctx, engine, snapshot));
  const offUpdated = engine.on('callUpdated', (snapshot) => applyCallSnapshot(ctx, snapshot));
  return () => {
    offIncoming();
    offUpdated();
  };
}

function onIncoming(ctx: SliceContext, engine: CallEngine, snapshot: CallSnapshot): void {
  applyCallSnapshot(ctx, snapshot);
  const { doNotDisturb, autoAnswer } = ctx.get().settings.values;
  const id = snapshot.id;
  if (doNotDisturb) {
    markDeclined(ctx, id, 'do-not-disturb');
    engine
      .reject(id, DECLINE_STATUS)
      .catch((error) => ctx.log.warn('incoming() | DND reject failed', { error: errorText(error) }));
    return;
  }
  const busy = Object.values(ctx.get().calls.byId).some((c) => c.id !== id && isLive(c));
  if (autoAnswer && !busy) {
    ctx
      .get()
      .calls.answer(id, { video: false })
      .catch((error) => ctx.log.warn('incoming() | auto-answer failed', { error: errorText(error) }));
  }
}

function markDeclined(ctx: SliceContext, id: string, by: 'user' | 'do-not-disturb'): void {
  ctx.update('calls', (c) => {
    const call = c.byId[id];
    return call ? { byId: { ...c.byId, [id]: { ...call, declinedBy: by } } } : {};
  });
}

export function createCallsSlice(ctx: SliceContext): CallsSlice {
  const log = ctx.log.child('calls');

  const requireCall = (id: string, method: string, allowed: (call: CallEntry) => boolean): CallEntry => {
    const call = ctx.get().calls.byId[id];
    if (!call) throw new InvalidStateError(`calls.${method}(): no call ${JSON.stringify(id)}`);
    if (!allowed(call))
      throw new InvalidStateError(`calls.${method}(): not allowed while the call is ${call.state}`);
    return call;
  };
  const requireEngine = (method: string): CallEngine => {
    const engine = ctx.live.engine;
    if (!engine) throw new InvalidStateError(`calls.${method}(): the account is not connected`);
    return engine;
  };
  const logged = (method: string, work: Promise<void>): Promise<void> =>
    work.catch((error: unknown) => log.warn(`${method}() | engine failed`, { error: errorText(error) }));

  /**
   * Holds every established call we do not hold yet, except `keep`, then runs `next`. With nothing to
   * hold, `next` runs at once (no extra turn before an answer).
   */
  const holdOthersThen = (engine: CallEngine, keep: string, next: () => Promise<void>): Promise<void> => {
    const toHold = Object.values(ctx.get().calls.byId).filter(
      (c) => c.id !== keep && (c.state === 'connected' || c.state === 'held-by-remote') && !c.onHold,
    );
    if (toHold.length === 0) return next();
    return Promise.all(toHold.map((c) => logged('hold', engine.hold(c.id)))).then(next);
  };

  return {
    byId: {},
    order: [],
    activeCallId: null,
    dialDraft: '',

    setDialDraft(value) {
      ctx.update('calls', { dialDraft: value.slice(0, 256) });
    },

    dial(target, options = {}) {
      const typed = target ?? ctx.get().calls.dialDraft;
      const parsed = normaliseDialTarget(typed);
      if (!parsed.ok) return { ok: false, reason: parsed.reason === 'empty' ? 'empty' : 'invalid-target' };
      const engine = ctx.live.engine;
      if (!engine) return { ok: false, reason: 'not-connected' };
      const active = ctx.get().calls.activeCallId;
      void holdOthersThen(engine, '', () => Promise.resolve());
      let id: string;
      try {
        id = engine.call(parsed.target, { video: options.video ?? false });
      } catch (error) {
        log.warn('dial() | engine refused the call', { error: errorText(error) });
        return { ok: false, reason: 'failed' };
      }
      if (!ctx.get().calls.byId[id]) {
        applyCallSnapshot(ctx, {
          id,
          direction: 'outgoing',
          remote: { name: '', number: parsed.target },
          state: 'calling',
          video: options.video ?? false,
          muted: false,
          onHold: false,
        });
      }
      // The engine may have ended the call already (no microphone): keep what is in front then.
      const live = ctx.get().calls.byId[id]?.state !== 'ended';
      ctx.update('calls', { activeCallId: live ? id : active, dialDraft: '' });
      ctx.update('settings', (s) => ({ values: { ...s.values, lastDialled: parsed.target } }));
      return { ok: true, callId: id };
    },

    redial(options) {
      const last = ctx.get().settings.values.lastDialled;
      if (!last) return { ok: false, reason: 'empty' };
      return ctx.get().calls.dial(last, options);
    },

    answer(id, options = {}) {
      requireCall(id, 'answer', isRingingIncoming);
      const engine = requireEngine('answer');
      ctx.update('calls', { activeCallId: id });
      return holdOthersThen(engine, id, () =>
        logged('answer', engine.answer(id, { video: options.video ?? false })),
      );
    },

    decline(id) {
      requireCall(id, 'decline', isRingingIncoming);
      const engine = requireEngine('decline');
      markDeclined(ctx, id, 'user');
      return logged('decline', engine.reject(id, DECLINE_STATUS));
    },

    hangup(id) {
      const call = requireCall(id, 'hangup', isLive);
      if (isRingingIncoming(call)) return ctx.get().calls.decline(id);
      return logged('hangup', requireEngine('hangup').hangup(id));
    },

    hold(id) {
      requireCall(id, 'hold', (c) => isEstablished(c.state));
      return logged('hold', requireEngine('hold').hold(id));
    },

    resume(id) {
      requireCall(id, 'resume', (c) => isEstablished(c.state) && c.onHold);
      const engine = requireEngine('resume');
      ctx.update('calls', { activeCallId: id });
      return holdOthersThen(engine, id, () => logged('resume', engine.resume(id)));
    },

    switchTo(id) {
      const call = requireCall(id, 'switchTo', (c) => isLive(c) && !isRingingIncoming(c));
      if (call.onHold) return ctx.get().calls.resume(id);
      ctx.update('calls', { activeCallId: id });
      return Promise.resolve();
    },

    setMuted(id, on) {
      requireCall(id, 'setMuted', isLive);
      requireEngine('setMuted').mute(id, on);
    },

    setCamera(id, on) {
      requireCall(id, 'setCamera', (c) => isLive(c) && !isRingingIncoming(c) && c.video);
      const engine = requireEngine('setCamera');
      if (!engine.setCamera) {
        log.warn('setCamera() | the engine cannot switch the camera');
        return Promise.resolve();
      }
      return logged('setCamera', engine.setCamera(id, on));
    },

    sendDtmf(id, digits) {
      requireCall(id, 'sendDtmf', (c) => isEstablished(c.state));
      const engine = requireEngine('sendDtmf');
      const valid = dtmfDigits(digits);
      if (valid) engine.sendDtmf(id, valid);
    },

    dismiss(id) {
      requireCall(id, 'dismiss', (c) => !isLive(c));
      ctx.update('calls', (c) => {
        const byId = { ...c.byId };
        delete byId[id];
        return { byId, order: c.order.filter((x) => x !== id) };
      });
    },
  };
}

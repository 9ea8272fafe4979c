/**
 * The bridge between the account's SIP objects and the store (pjsua's role): opens the UA and its
 * call engine for the saved account, feeds their events into the registration and calls slices, and
 * tears everything down on disconnect. The objects themselves stay in {@link LiveObjects}.
 */
import { InvalidStateError, type RegistrationStatus } from '../sip/index';
import type { SliceContext } from './phone-state';
import { bindCallEngine, endAllCalls } from './slices/calls/slice';
import {
  INITIAL_REGISTRATION,
  applyRegistrationStatus,
  applyTransportState,
} from './slices/registration/slice';
import { errorText } from './support/log';

/**
 * Connects the saved account (replacing any connection) and registers.
 * Resolves with the registration status; never rejects for anything the network or server does.
 * @throws InvalidStateError (rejection) when no account is saved.
 */
export async function connectAccount(ctx: SliceContext): Promise<RegistrationStatus> {
  const log = ctx.log.child('connection');
  const { saved, instanceId } = ctx.get().account;
  if (!saved || !instanceId) throw new InvalidStateError('account.connect(): save an account first');
  if (ctx.live.ua) await disconnectAccount(ctx);

  let opened;
  try {
    opened = ctx.open(saved, instanceId, true);
  } catch (error) {
    // The form was validated, so this is the environment (no WebSocket): report it as a status.
    const reason = errorText(error);
    log.error('connect() | could not create the user agent', { error: reason });
    const status: RegistrationStatus = { state: 'failed', cause: 'transport', reason };
    ctx.update('registration', {
      ...INITIAL_REGISTRATION,
      state: 'failed',
      failure: { cause: 'transport', status: null, reason },
    });
    return status;
  }
  const { ua, engine } = opened;
  ctx.live.attach(ua, engine);
  ctx.update('registration', { ...INITIAL_REGISTRATION, active: true });
  ctx.live.onDetach(
    ua.on('registration', (status) =>
      ctx.update('registration', (r) => applyRegistrationStatus(r, status, ctx.clock.now())),
    ),
  );
  ctx.live.onDetach(
    ua.on('transport', (state, server) =>
      ctx.update('registration', (r) => applyTransportState(r, state, server)),
    ),
  );
  if (engine) ctx.live.onDetach(bindCallEngine(ctx, engine));
  try {
    return await ua.register();
  } catch (error) {
    // The core promises never to reject here; if it does, the status bar still says why.
    const reason = errorText(error);
    log.error('connect() | register rejected', { error: reason });
    const status: RegistrationStatus = { state: 'failed', cause: 'transport', reason };
    ctx.update('registration', (r) => applyRegistrationStatus(r, status, ctx.clock.now()));
    return status;
  }
}

/**
 * Ends every call, unregisters and closes the connection. Calls still live are recorded as ended by
 * us. Never rejects.
 */
export async function disconnectAccount(ctx: SliceContext): Promise<void> {
  const log = ctx.log.child('connection');
  const { ua, engine } = ctx.live.detach();
  endAllCalls(ctx, { originator: 'local', cause: 'bye' });
  if (!ua) {
    ctx.update('registration', INITIAL_REGISTRATION);
    return;
  }
  ctx.update('registration', { active: false, state: 'unregistering', reconnecting: false });
  try {
    engine?.dispose();
  } catch (error) {
    log.warn('disconnect() | engine dispose threw', { error: errorText(error) });
  }
  try {
    await ua.stop();
  } catch (error) {
    log.warn('disconnect() | stop failed', { error: errorText(error) });
  }
  // A newer connect() may have attached another UA meanwhile: its state is not ours to reset.
  if (!ctx.live.ua) ctx.update('registration', INITIAL_REGISTRATION);
}

/**
 * The part of the SIP core's {@link UserAgent} the store uses, so tests can inject a fake that emits
 * registration and transport events (README.md "Using the SIP core").
 */
import { UserAgent, type UserAgentOptions } from '../../sip/index';

export type UserAgentLike = Pick<UserAgent, 'on' | 'start' | 'register' | 'unregister' | 'stop'>;

export type UserAgentFactory<UA extends UserAgentLike = UserAgentLike> = (options: UserAgentOptions) => UA;

/** The default factory: the real core. */
export const createCoreUserAgent: UserAgentFactory<UserAgent> = (options) => new UserAgent(options);

/** Entry of register.html: the real UserAgent from the SIP core, driven by register-harness.ts. */
import { UserAgent } from '../../src/sip/index';
import { mountRegisterHarness } from './register-harness';

mountRegisterHarness(document, window.location.search, (options) => new UserAgent(options));

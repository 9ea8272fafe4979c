/**
 * RFC 5627 GRUU as an opt-in user agent extension: REGISTER says `Supported: gruu` with a
 * `+sip.instance` Contact (§4.1), and the public GRUU the registrar grants becomes the Contact of
 * dialog-forming requests and responses (§4.2 asks a UA holding a GRUU to use it there). REGISTER
 * itself always carries the real contact.
 */
import { isSipUri } from '../message/uri';
import { parseUri } from '../parser/parse-uri';
import { instanceParam } from './instance-id';
import type { UserAgentExtension } from './ua-extension';

export function gruu(): UserAgentExtension {
  return {
    tags: ['gruu'],
    attach: (ua) => ({
      contactParams: { '+sip.instance': instanceParam(ua) },
      dialogContact: (binding) => {
        const granted = parseUri(binding?.params['pub-gruu'] ?? '');
        return granted.ok && isSipUri(granted.value) ? granted.value : undefined;
      },
    }),
  };
}

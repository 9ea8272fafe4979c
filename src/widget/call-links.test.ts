// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  callTargetFromLink,
  interceptCallLinks,
  readCallParam,
  registerCallLinkHandlers,
} from './call-links';

describe('RFC 3261 §19.1 / RFC 3966 links as call targets', () => {
  it('keeps sip: and sips: addresses, without URI headers', () => {
    expect(callTargetFromLink('sip:bob@example.com')).toBe('sip:bob@example.com');
    expect(callTargetFromLink('SIPS:bob@example.com:5061')).toBe('sips:bob@example.com:5061');
    expect(callTargetFromLink('sip:bob@example.com?subject=hi')).toBe('sip:bob@example.com');
  });

  it('turns tel: numbers into digits, dropping separators and parameters', () => {
    expect(callTargetFromLink('tel:+1-555-0100')).toBe('+15550100');
    expect(callTargetFromLink('tel:7042;phone-context=example.com')).toBe('7042');
    expect(callTargetFromLink('tel:%2B33%201%2023')).toBe('+33123');
  });

  it('refuses other schemes, bad encodings, junk and very long links', () => {
    for (const href of [
      'https://example.com',
      'mailto:a@b',
      'javascript:alert(1)',
      'tel:%E0%A4%A',
      'tel:call-me',
      'sip:',
      `sip:${'a'.repeat(300)}@b`,
    ]) {
      expect(callTargetFromLink(href), href).toBeNull();
    }
  });
});

describe('?call= on load', () => {
  it('reads a link or a plain target', () => {
    expect(readCallParam('?call=sip%3Abob%40example.com')).toEqual({
      kind: 'valid',
      target: 'sip:bob@example.com',
    });
    expect(readCallParam('?call=tel%3A%2B1-555-0100')).toEqual({ kind: 'valid', target: '+15550100' });
    expect(readCallParam('?call=bob')).toEqual({ kind: 'valid', target: 'bob' });
    expect(readCallParam('?user=bob')).toEqual({ kind: 'none' });
    expect(readCallParam('?call=')).toEqual({ kind: 'none' });
  });

  it('reports an unusable value, shortened', () => {
    expect(readCallParam('?call=%3Cscript%3E')).toEqual({ kind: 'invalid', value: '<script>' });
    const long = readCallParam(`?call=${'1'.repeat(1000)}`);
    expect(long.kind).toBe('invalid');
    expect(long.kind === 'invalid' && long.value.length).toBe(64);
  });
});

describe('HTML §8.9.1.3 registerProtocolHandler', () => {
  it('asks for sip and tel with the %s handler URL', () => {
    const registerProtocolHandler = vi.fn();
    expect(registerCallLinkHandlers({ registerProtocolHandler }, '/?call=%s')).toEqual(['sip', 'tel']);
    expect(registerProtocolHandler.mock.calls).toEqual([
      ['sip', '/?call=%s'],
      ['tel', '/?call=%s'],
    ]);
  });

  it('does nothing where the API is missing, and survives a browser that refuses', () => {
    expect(registerCallLinkHandlers(undefined)).toEqual([]);
    expect(registerCallLinkHandlers({})).toEqual([]);
    const log = vi.fn();
    const refuse = (scheme: string) => {
      if (scheme === 'tel') throw new DOMException('no', 'SecurityError');
    };
    expect(registerCallLinkHandlers({ registerProtocolHandler: refuse }, '/?call=%s', log)).toEqual(['sip']);
    expect(log).toHaveBeenCalledTimes(1);
  });
});

describe('intercepting link clicks', () => {
  const stops: Array<() => void> = [];
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
    document.body.replaceChildren();
  });

  function page(html: string) {
    document.body.innerHTML = html;
    const onCall = vi.fn();
    stops.push(interceptCallLinks(document, onCall));
    return { onCall };
  }

  it('turns a click on a sip: or tel: link into a call and keeps the browser from following it', () => {
    const { onCall } = page(
      '<a id="s" href="sip:bob@example.com"><b id="inner">Bob</b></a><a id="t" href="tel:+1 555">t</a>',
    );
    const click = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true });
    document.getElementById('inner')?.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    document.getElementById('t')?.click();
    expect(onCall.mock.calls.map((c) => c[0])).toEqual(['sip:bob@example.com', '+1555']);
  });

  it('leaves other links, modified clicks and handled clicks alone', () => {
    const { onCall } = page(
      '<a id="h" href="https://example.com">x</a><a id="s" href="sip:bob@example.com">b</a>',
    );
    const plain = new MouseEvent('click', { bubbles: true, cancelable: true });
    document.getElementById('h')?.dispatchEvent(plain);
    expect(plain.defaultPrevented).toBe(false);
    document
      .getElementById('s')
      ?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, ctrlKey: true }));
    const handled = new MouseEvent('click', { bubbles: true, cancelable: true });
    handled.preventDefault();
    document.getElementById('s')?.dispatchEvent(handled);
    expect(onCall).not.toHaveBeenCalled();
  });

  it('finds links inside shadow roots through the composed path, and stops when asked', () => {
    const host = document.createElement('div');
    document.body.append(host);
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<a href="sip:carol@example.com">Carol</a>';
    const onCall = vi.fn();
    const stop = interceptCallLinks(document, onCall);
    shadow
      .querySelector('a')
      ?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
    stop();
    shadow
      .querySelector('a')
      ?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
    expect(onCall.mock.calls.map((c) => c[0])).toEqual(['sip:carol@example.com']);
  });
});

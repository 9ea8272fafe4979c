import { describe, expect, it } from 'vitest';
import { scopeCssForShadowRoot } from './shadow-css';

/** Whitespace is not what is under test. */
const squash = (css: string) =>
  css
    .replace(/\s*([{};,])\s*/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();

describe('CSS Scoping §3: the app stylesheets inside a shadow root', () => {
  it('moves :root custom properties to :host', () => {
    expect(squash(scopeCssForShadowRoot(':root { --radius: 10px; }'))).toBe(
      squash(':host { --radius: 10px; }'),
    );
  });

  it('applies html and body rules to the theme wrapper, never to the page', () => {
    const css =
      'html,\nbody { margin: 0; }\nhtml[data-theme] { background: var(--bg); }\nbody { font-size: 16px; }';
    expect(squash(scopeCssForShadowRoot(css))).toBe(
      squash(
        '.ringlet-theme, .ringlet-theme { margin: 0; } .ringlet-theme { background: var(--bg); } .ringlet-theme { font-size: 16px; }',
      ),
    );
  });

  it('keeps other selectors, at-rules and declarations as they are', () => {
    const css =
      "@media (prefers-color-scheme: dark) { [data-theme='system'] { --bg: #111; } }\n.button:hover:not(:disabled) { color: red; }\n.body-text, .htmlish { x: y; }";
    expect(squash(scopeCssForShadowRoot(css))).toBe(
      squash(
        "@media (prefers-color-scheme: dark) { [data-theme='system'] { --bg: #111; } } .button:hover:not(:disabled) { color: red; } .body-text, .htmlish { x: y; }",
      ),
    );
  });

  it('drops comments, so a brace inside one cannot confuse the scoping', () => {
    expect(squash(scopeCssForShadowRoot('/* body { */ body { a: b; }'))).toBe(
      squash('.ringlet-theme { a: b; }'),
    );
  });
});

/**
 * Rewrites the app's document stylesheets for a shadow root (CSS Scoping §3): `:root` becomes
 * `:host`, and rules for `html` / `body` apply to the widget's theme wrapper instead, so the
 * custom properties and base type the app defines on the page exist inside the widget, and none of
 * it reaches the host page. Pure.
 */

/** The element inside the shadow root that carries `data-theme`, standing in for html/body. */
export const THEME_WRAPPER_CLASS = 'ringlet-theme';

function scopeSelector(selector: string): string {
  const trimmed = selector.trim();
  const page = /^(html|body)(?![\w-])(.*)$/i.exec(trimmed);
  if (page) {
    // `html[data-theme]` → the wrapper, which always has one.
    const rest = (page[2] ?? '').replace(/^\[data-theme\]/, '');
    return `.${THEME_WRAPPER_CLASS}${rest}`;
  }
  return trimmed.replace(/:root(?![\w-])/g, ':host');
}

/** The stylesheet text with each rule's selectors scoped (at-rule preludes kept as they are). */
export function scopeCssForShadowRoot(css: string): string {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  let out = '';
  let buffer = '';
  for (const char of text) {
    if (char === '{') {
      const prelude = buffer.trim();
      out +=
        prelude.startsWith('@') || prelude === ''
          ? `${buffer}{`
          : `${prelude.split(',').map(scopeSelector).join(', ')} {`;
      buffer = '';
    } else if (char === '}' || char === ';') {
      out += `${buffer}${char}`;
      buffer = '';
    } else {
      buffer += char;
    }
  }
  return out + buffer;
}

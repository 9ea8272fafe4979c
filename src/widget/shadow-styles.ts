/**
 * Every stylesheet of the UI, as text, scoped for the widget's shadow root and followed by the
 * widget's own (reset at the host, theming by `--ringlet-*` custom properties). Vite inlines them
 * (`?inline`), so the widget is one ES module that never adds a stylesheet to the host page.
 */
import { scopeCssForShadowRoot } from './shadow-css';
import widgetCss from './widget.css?inline';

const uiCss = import.meta.glob<string>('../ui/**/*.css', {
  query: '?inline',
  import: 'default',
  eager: true,
});

/** The theme first, then the shared controls, then each component, as the app orders them. */
function order(path: string): number {
  if (path.endsWith('/theme/theme.css')) return 0;
  if (path.endsWith('/theme/controls.css')) return 1;
  return 2;
}

let cached: string | null = null;

/** The full stylesheet text of the widget. */
export function widgetStyleText(): string {
  if (cached !== null) return cached;
  const paths = Object.keys(uiCss).sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  cached = [...paths.map((path) => scopeCssForShadowRoot(uiCss[path] ?? '')), widgetCss].join('\n');
  return cached;
}

let shared: CSSStyleSheet | null = null;

/**
 * Puts the widget's styles into a shadow root: one constructable stylesheet shared by every widget
 * on the page where the browser has them (CSSOM §6.2), else a `<style>` element.
 */
export function adoptWidgetStyles(root: ShadowRoot): void {
  const text = widgetStyleText();
  if (
    'adoptedStyleSheets' in root &&
    typeof CSSStyleSheet === 'function' &&
    'replaceSync' in CSSStyleSheet.prototype
  ) {
    try {
      shared ??= new CSSStyleSheet();
      if (shared.cssRules.length === 0) shared.replaceSync(text);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, shared];
      return;
    } catch {
      // Fall through to a <style> element.
    }
  }
  const style = root.ownerDocument.createElement('style');
  style.textContent = text;
  root.prepend(style);
}

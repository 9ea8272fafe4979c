// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { connectedPhone, createTestPhone, type TestPhone } from '../store/testing/test-phone';
import { App, type AppProps } from './App';
import { PhoneProvider } from './phone-context';

afterEach(cleanup);

function renderApp(phone: TestPhone, props: AppProps = {}) {
  return render(
    <PhoneProvider store={phone.store}>
      <App {...props} />
    </PhoneProvider>,
  );
}

const nav = () => screen.getByRole('navigation');
const appRoot = (container: HTMLElement) => container.querySelector('.app') as HTMLElement;

describe('App shell', () => {
  it('shows the name, the status bar, the navigation and a skip link to the main area', () => {
    const phone = createTestPhone();
    renderApp(phone);
    expect(screen.getByRole('heading', { level: 1, name: 'Ringlet' })).toBeTruthy();
    expect(nav().getAttribute('aria-label')).toBe('Main');
    expect(
      within(nav())
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Phone', 'History', 'Contacts', 'Settings', 'Account']);
    expect(within(nav()).getByRole('button', { name: 'Phone' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'Skip to main content' }).getAttribute('href')).toBe('#main');
    expect(screen.getByRole('main').id).toBe('main');
    expect(screen.getByText('No account set up')).toBeTruthy();
  });

  it('moves between screens from the navigation, focus following to the screen heading', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    renderApp(phone);
    await user.click(within(nav()).getByRole('button', { name: 'Contacts' }));
    const heading = screen.getByRole('heading', { level: 2, name: 'Contacts' });
    expect(document.activeElement).toBe(heading);
    expect(within(nav()).getByRole('button', { name: 'Contacts' }).getAttribute('aria-current')).toBe('page');
    expect(within(nav()).getByRole('button', { name: 'Phone' }).getAttribute('aria-current')).toBeNull();
  });

  it('opens on the screen it is given', () => {
    const phone = createTestPhone();
    renderApp(phone, { initialScreen: 'account' });
    expect(screen.getByRole('heading', { level: 2, name: 'Account' })).toBeTruthy();
  });

  it('moves between screens with the Alt+Shift+digit shortcuts', () => {
    const phone = createTestPhone();
    renderApp(phone);
    fireEvent.keyDown(window, { key: '@', code: 'Digit2', altKey: true, shiftKey: true });
    expect(screen.getByRole('heading', { level: 2, name: 'History' })).toBeTruthy();
    fireEvent.keyDown(window, { key: '$', code: 'Digit4', altKey: true, shiftKey: true });
    expect(screen.getByRole('heading', { level: 2, name: 'Settings' })).toBeTruthy();
  });

  it('brings the phone screen to the front when a call comes in', async () => {
    const user = userEvent.setup();
    const phone = await connectedPhone();
    renderApp(phone);
    await user.click(within(nav()).getByRole('button', { name: 'Contacts' }));
    act(() => {
      phone.engine.incoming({ name: 'Bob', number: 'sip:bob@example.com' });
    });
    expect(screen.queryByRole('heading', { level: 2, name: 'Contacts' })).toBeNull();
    expect(within(nav()).getByRole('button', { name: 'Phone' }).getAttribute('aria-current')).toBe('page');
  });

  it('announces a call change made while another screen shows, in a live region that is not hidden', async () => {
    const user = userEvent.setup();
    const phone = await connectedPhone();
    renderApp(phone);
    let id = '';
    act(() => {
      id = phone.engine.incoming({ name: 'Bob', number: 'sip:bob@example.com' });
    });
    await act(() => phone.store.getState().calls.answer(id));
    await user.click(within(nav()).getByRole('button', { name: 'Contacts' }));
    act(() => phone.engine.remoteHangup(id));
    const regions = screen.getAllByRole('status').filter((r) => /Bob/.test(r.textContent ?? ''));
    expect(regions.length).toBeGreaterThan(0);
    for (const region of regions) expect(region.closest('[hidden]')).toBeNull();
  });

  it('shows the note about an ignored ?user= value', () => {
    const phone = createTestPhone();
    renderApp(phone, { notice: { kind: 'invalid-user', value: 'Bad User!' } });
    expect(screen.getByText(/The user name “Bad User!” in the page address was ignored/)).toBeTruthy();
  });
});

describe('App theme and language', () => {
  it('puts the chosen theme on the app root', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    const { container } = renderApp(phone, { initialScreen: 'settings' });
    expect(appRoot(container).getAttribute('data-theme')).toBe('system');
    await user.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(appRoot(container).getAttribute('data-theme')).toBe('dark');
    await user.click(screen.getByRole('radio', { name: 'Light' }));
    expect(appRoot(container).getAttribute('data-theme')).toBe('light');
  });

  it('switches every text to French when French is chosen', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    const { container } = renderApp(phone, { initialScreen: 'settings' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'Français');
    expect(screen.getByRole('heading', { level: 2, name: 'Réglages' })).toBeTruthy();
    expect(
      within(nav())
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Téléphone', 'Historique', 'Contacts', 'Réglages', 'Compte']);
    expect(appRoot(container).getAttribute('lang')).toBe('fr');
    expect(document.documentElement.lang).toBe('fr');
  });

  it('starts in the saved language', async () => {
    const phone = createTestPhone();
    phone.store.getState().settings.update({ language: 'fr' });
    renderApp(phone);
    expect(screen.getByRole('link', { name: 'Aller au contenu principal' })).toBeTruthy();
  });
});

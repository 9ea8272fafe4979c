/**
 * The phone store for React: `PhoneProvider` puts one store in context, `usePhone(selector)` reads
 * it (re-rendering only when the selected value changes; wrap derived objects in `useShallow`), and
 * `usePhoneStore()` gives the store itself, for actions (`store.getState().calls.dial()`).
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { PhoneState, PhoneStore } from '../store/index';

const PhoneContext = createContext<PhoneStore | null>(null);

export function PhoneProvider({ store, children }: { store: PhoneStore; children?: ReactNode }) {
  return <PhoneContext.Provider value={store}>{children}</PhoneContext.Provider>;
}

/**
 * The store of the nearest `PhoneProvider`.
 * @throws Error when rendered outside a `PhoneProvider` (a programming mistake).
 */
export function usePhoneStore(): PhoneStore {
  const store = useContext(PhoneContext);
  if (!store) throw new Error('usePhoneStore(): render inside <PhoneProvider store={…}>');
  return store;
}

/** Reads the phone state through a selector (`usePhone(callSelectors.activeCall)`). */
export function usePhone<T>(selector: (state: PhoneState) => T): T {
  return useStore(usePhoneStore(), selector);
}

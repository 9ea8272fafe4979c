/** Every adapter the parser bench runs, in table order. */
import type { ParserAdapter } from './adapter';
import { jsSipFull, jsSipHeaders } from './jssip';
import { lineSplitter } from './line-splitter';
import { sipJsFull, sipJsHeaders } from './sipjs';

export interface AdapterSet {
  readonly adapters: readonly ParserAdapter[];
  /** Why Ringlet is missing from `adapters`, when it is (its parser is not importable yet). */
  readonly ringletUnavailable?: string;
}

export async function loadAdapters(): Promise<AdapterSet> {
  const competitors = [sipJsHeaders, sipJsFull, jsSipHeaders, jsSipFull];
  try {
    // Dynamic so the competitors can still be measured while the Ringlet parser is mid-work.
    const { ringletHeaders, ringletFull } = await import('./ringlet');
    return { adapters: [ringletHeaders, ringletFull, ...competitors, lineSplitter] };
  } catch (error) {
    return { adapters: [...competitors, lineSplitter], ringletUnavailable: String(error) };
  }
}

/**
 * Remembers the last result for the last inputs (compared with `Object.is`), so a derived list keeps
 * its identity while its inputs do: `useSyncExternalStore` needs stable snapshots, and React skips a
 * re-render when the selected list is the same object.
 */
export function memoizeLast<Args extends readonly unknown[], R>(
  fn: (...args: Args) => R,
): (...args: Args) => R {
  let last: { args: Args; result: R } | undefined;
  return (...args: Args): R => {
    if (last && last.args.length === args.length && last.args.every((a, i) => Object.is(a, args[i]))) {
      return last.result;
    }
    const result = fn(...args);
    last = { args, result };
    return result;
  };
}

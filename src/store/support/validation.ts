/**
 * Field-level validation results shared by the forms (account, contacts). A message has a stable
 * `code` the UI translates and an English `message` used as the default text.
 */

export interface FieldError {
  readonly code: string;
  readonly message: string;
}

/**
 * Field path → error. Paths are field names (`uri`) or `field.index` for list rows
 * (`servers.1`, `iceServers.0`). An empty object means valid.
 */
export type FieldErrors = Readonly<Record<string, FieldError>>;

export const NO_ERRORS: FieldErrors = Object.freeze({});

export type SaveResult = { readonly ok: true } | { readonly ok: false; readonly errors: FieldErrors };

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

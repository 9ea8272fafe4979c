/**
 * Plain words for a registration failure, shared by the status bar and its announcement. Pure.
 */
import type { TFunction } from 'i18next';
import type { RegistrationFailure } from '../../../store/index';

export function failureSummary(t: TFunction, failure: RegistrationFailure): string {
  switch (failure.cause) {
    case 'auth-failed':
      return t('common:failure.auth-failed');
    case 'rejected':
      return failure.status === null
        ? t('common:failure.rejected')
        : t('common:failure.rejectedWithStatus', { status: `${failure.status} ${failure.reason}`.trim() });
    case 'timeout':
      return t('common:failure.timeout');
    case 'transport':
      return t('common:failure.transport');
  }
}

/** The core's own words, when they add something to the summary. */
export function failureDetail(t: TFunction, failure: RegistrationFailure): string | null {
  if (failure.cause === 'rejected' || failure.reason.trim() === '') return null;
  return t('common:failure.detail', { reason: failure.reason });
}

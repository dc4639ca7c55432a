import { digestSignal } from './digest-signal.ts';

/** SHA-256 of the exact bytes. */
export const sha256Signal = digestSignal({ name: 'sha256', label: 'SHA-256', hexLength: 64, threatexchange: ['sha256'], stopncii: ['SHA256'] });

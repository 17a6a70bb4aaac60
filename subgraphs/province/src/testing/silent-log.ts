import { pino } from 'pino';

/** A silent pino logger for the subscription tests. */
export const silentLog = pino({ level: 'silent' });

import { randomBytes, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();
/** 32 bytes of randomness, URL-safe: invite links and session cookies. */
export const newToken = (): string => randomBytes(32).toString('base64url');

// A throwaway self-signed certificate for tests that serve HTTPS (openssl from the system).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeTestCertificate(host: string): { cert: Buffer; key: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'shaipin-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${host}`,
        '-addext',
        `subjectAltName=DNS:${host},IP:127.0.0.1`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'pipe' },
    );
    return { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) };
  } catch (e) {
    throw new Error(`openssl could not make a test certificate (is it installed?): ${String(e)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

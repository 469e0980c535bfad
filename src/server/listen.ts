// Where the server listens. The demo's accounts sign in with passwords printed in the README: a
// demo left running on an office network would let anyone in as the organizer. So while any of them
// still has its published password, the server listens on this machine only, unless HOST says
// otherwise, and then it says loudly what that means.

export interface ListenChoice {
  host: string;
  /** Lines to print in a box before serving, when there is something the operator must know. */
  warning: string[] | null;
}

export function chooseListenHost(
  hostEnv: string | undefined,
  openDemoAccounts: readonly string[],
): ListenChoice {
  const explicit = hostEnv?.trim() || undefined;
  if (openDemoAccounts.length === 0) return { host: explicit ?? '0.0.0.0', warning: null };
  const accounts = openDemoAccounts.join(', ');
  if (explicit === undefined) {
    return {
      host: '127.0.0.1',
      warning: [
        `The demo accounts (${accounts}) still have the passwords printed in the README.`,
        'Serving on this machine only (127.0.0.1). To serve the hall or the office network, change',
        'those passwords first (or start with --empty), or set HOST=0.0.0.0 knowingly.',
      ],
    };
  }
  const loopback = explicit === 'localhost' || explicit === '::1' || explicit.startsWith('127.');
  if (loopback) return { host: explicit, warning: null };
  return {
    host: explicit,
    warning: [
      `WARNING: HOST=${explicit} with demo accounts (${accounts}) that still have their PUBLISHED passwords.`,
      'Anyone who can reach this address can sign in as the organizer. Change those passwords now.',
    ],
  };
}

export function boxed(lines: readonly string[]): string {
  const width = Math.max(...lines.map((l) => l.length));
  const bar = `+${'-'.repeat(width + 2)}+`;
  return [bar, ...lines.map((l) => `| ${l.padEnd(width)} |`), bar].join('\n');
}

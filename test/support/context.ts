// Values the global setups hand to test files through Vitest's provide/inject. A global setup that
// throws would abort every project of the run, so setups report failures here instead and the tests
// that need the missing piece fail with the reason.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the PostgreSQL server the integration tests create their databases on. */
    pgAdminUrl: string | null;
    /** Why PostgreSQL could not be started, when it could not. */
    pgError: string | null;
    /** True when the browser project's global setup built the web apps into dist/web. */
    webBuilt: boolean;
    /** The build output when `vite build` failed. */
    webBuildError: string | null;
  }
}

export {};

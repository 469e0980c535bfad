// Shared by the hall pages (judge phone, big screen), which both sign in from a link carrying ?t=.

/**
 * Removes the sign-in token from the address bar once read: it must not stay there, in the history,
 * or in a screenshot shared in a group chat or a photo of the screen.
 */
export function dropTokenFromUrl(): void {
  const url = new URL(window.location.href);
  url.searchParams.delete('t');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
}

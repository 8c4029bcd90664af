/** The sign-in page: the master key or an `admin` key, in a password field. */
import { html } from 'hono/html';
import { bare, type Html } from './layout.js';

/** @param message why the operator is here again (a wrong key, too many tries, a session that ended) */
export function signInPage(options: { message?: string; canSignIn: boolean }): Html {
  return bare(
    'Sign in',
    html`<h1>AI gateway admin</h1>
${options.message ? html`<p class="notice error" role="alert">${options.message}</p>` : ''}
${options.canSignIn
  ? ''
  : html`<p class="notice error">No one can sign in yet: set <code>GATEWAY_MASTER_KEY</code>, or create a key with the <code>admin</code> scope (<code>npm run keys -- create ops --scopes admin</code>).</p>`}
<form method="post" action="/admin/sign-in">
  <label>Master key or admin key <input type="password" name="key" autocomplete="current-password" required autofocus /></label>
  <p><button type="submit">Sign in</button></p>
</form>
<p class="hint">The session is a cookie for this console only; the key itself is not kept.</p>`,
  );
}

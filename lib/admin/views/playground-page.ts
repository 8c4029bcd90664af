/** Playground: a provider or chain, a model, a prompt; the script streams the answer and the attempts. */
import { html } from 'hono/html';
import type { Html } from './layout.js';

export function playgroundBody(providers: readonly string[], defaultProvider: string): Html {
  return html`<p class="hint">Runs with the gateway's own provider keys, through the chain as the proxy would (retries, fallback, breakers). Each attempt is listed as it ends.</p>
<form id="playground" class="grid">
  <label>Provider or chain <input name="chain" list="provider-names" placeholder="${defaultProvider} (default)" /></label>
  <datalist id="provider-names">${providers.map((name) => html`<option value="${name}"></option>`)}</datalist>
  <label>Model <input name="model" placeholder="gpt-4o-mini" /></label>
  <label class="wide">Prompt <textarea name="prompt" rows="4" required>Say hello in five words.</textarea></label>
  <button type="submit">Send</button>
</form>
<h2>Attempts</h2>
<ol id="attempts"></ol>
<h2>Answer <span id="run-status" class="muted"></span></h2>
<div id="answer" aria-live="polite"></div>`;
}

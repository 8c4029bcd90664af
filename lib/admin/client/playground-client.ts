/**
 * Playground: sends the form to `/admin/api/playground` and reads its server-sent events as
 * they come (a POST, so `fetch` and a stream reader rather than `EventSource`): each attempt
 * of the chain is listed as it ends, the answer grows as its content streams in.
 */
import { createParser } from 'eventsource-parser';

interface AttemptEvent {
  provider: string;
  model?: string;
  status?: number;
  error?: string;
  skipped?: string;
  duration_ms: number;
}

function describeAttempt(attempt: AttemptEvent): string {
  const target = attempt.model ? `${attempt.provider}/${attempt.model}` : attempt.provider;
  if (attempt.skipped) return `${target}: skipped (${attempt.skipped})`;
  return `${target}: ${attempt.status ?? attempt.error} after ${attempt.duration_ms} ms`;
}

/** Hooks the form. */
export function startPlayground(root: Document): void {
  const form = root.querySelector<HTMLFormElement>('#playground');
  const attempts = root.querySelector<HTMLOListElement>('#attempts');
  const answer = root.querySelector<HTMLElement>('#answer');
  const status = root.querySelector<HTMLElement>('#run-status');
  if (!form || !attempts || !answer || !status) return;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const fields = new FormData(form);
    attempts.replaceChildren();
    answer.textContent = '';
    status.textContent = 'sending…';
    status.className = '';
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    try {
      const response = await fetch('/admin/api/playground', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ chain: fields.get('chain'), model: fields.get('model'), prompt: fields.get('prompt') }),
      });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
        throw new Error(body.error?.message ?? `status ${response.status}`);
      }
      const parser = createParser({
        onEvent: (message) => {
          const data = JSON.parse(message.data) as Record<string, unknown>;
          if (message.event === 'attempt') {
            const item = root.createElement('li');
            const attempt = data as unknown as AttemptEvent;
            item.textContent = describeAttempt(attempt);
            item.className = attempt.status !== undefined && attempt.status < 400 ? 'good' : 'bad';
            attempts.append(item);
          } else if (message.event === 'answer') {
            status.textContent = `answering: ${String(data.provider)}${data.model ? `/${String(data.model)}` : ''} after ${String(data.attempts)} attempt(s)…`;
          } else if (message.event === 'delta') {
            answer.textContent += String(data.content);
          } else if (message.event === 'done') {
            const usage = data.usage as { input_tokens: number; output_tokens: number } | null;
            status.textContent = `done in ${String(data.duration_ms)} ms${usage ? `, ${usage.input_tokens} + ${usage.output_tokens} tokens` : ''}`;
            status.className = 'good';
          } else if (message.event === 'error') {
            status.textContent = `failed (${String(data.status)}): ${String(data.message)}`;
            status.className = 'bad';
          }
        },
      });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch (error) {
      status.textContent = `failed: ${(error as Error).message}`;
      status.className = 'bad';
    } finally {
      if (button) button.disabled = false;
    }
  });
}

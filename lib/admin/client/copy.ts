/** The copy button beside a new key's secret, and confirmations before revoking. */

/** `<button data-copy="#id">`: copies the text of `#id`. */
export function enableCopyButtons(root: Document): void {
  for (const button of root.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    button.addEventListener('click', async () => {
      const target = root.querySelector(button.dataset.copy ?? '');
      const text = target?.textContent ?? '';
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = 'Copied';
      } catch {
        // No clipboard (an http page that is not localhost): select it for the operator to copy.
        const range = root.createRange();
        if (target) range.selectNodeContents(target);
        const selection = root.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
        button.textContent = 'Selected: press Ctrl+C';
      }
    });
  }
}

/** `<form data-confirm="…">`: asks before submitting. */
export function enableConfirms(root: Document): void {
  for (const form of root.querySelectorAll<HTMLFormElement>('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm ?? 'Sure?')) event.preventDefault();
    });
  }
}

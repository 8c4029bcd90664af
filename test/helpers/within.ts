/**
 * Bounds a wait: every wait in a test that a hanging or buffering path would stretch
 * forever ends with an error that says what did not happen.
 */

/**
 * Settles as `promise` does, or rejects with `message` after `timeoutMs`. A function
 * `message` is read when the time is up, so it can tell what happened meanwhile.
 */
export async function within<T>(promise: Promise<T>, timeoutMs: number, message: string | (() => string)): Promise<T> {
  const text = typeof message === 'string' ? () => message : message;
  return settleBefore(promise, Date.now() + timeoutMs, () => `${text()} (waited ${timeoutMs} ms)`);
}

/**
 * Settles as `promise` does, or rejects with `message()` once `deadline` (epoch ms) passes.
 */
export async function settleBefore<T>(promise: Promise<T>, deadline: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message())), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

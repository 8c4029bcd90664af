/** Reads the console's own API with the session cookie; a lost session goes back to sign-in. */
export async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (response.status === 401) {
    window.location.assign('/admin/sign-in');
    throw new Error('signed out');
  }
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as T;
}

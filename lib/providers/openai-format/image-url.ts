/**
 * OpenAI's `image_url` parts carry either a `data:` URL (the image inline, base64) or
 * an http(s) URL. The dialects that take images inline want the two apart.
 */
import { badRequest } from '../../errors.js';

/** An image given inline. */
export interface InlineImage {
  kind: 'inline';
  /** The media type, e.g. `image/png`. */
  mediaType: string;
  /** The base64 bytes. */
  data: string;
}

/** An image given by URL, which the provider fetches itself. */
export interface LinkedImage {
  kind: 'url';
  url: string;
}

const DATA_URL = /^data:([^;,]+)((?:;[^;,]*)*);base64,(.*)$/s;

/**
 * Splits an `image_url.url`.
 * @throws GatewayError 400 for a `data:` URL that is not base64, or any other scheme
 */
export function readImageUrl(url: string): InlineImage | LinkedImage {
  if (url.startsWith('data:')) {
    const match = DATA_URL.exec(url);
    if (!match) throw badRequest('An image data URL must be base64: data:<media type>;base64,<data>', 'messages', 'invalid_image_url');
    return { kind: 'inline', mediaType: match[1].toLowerCase(), data: match[3] };
  }
  if (/^https?:\/\//i.test(url)) return { kind: 'url', url };
  throw badRequest('An image URL must be an http(s) or base64 data URL', 'messages', 'invalid_image_url');
}

/** The media type and base64 data of a base64 `data:` URL (an image or a file); undefined for anything else. */
export function readDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = DATA_URL.exec(url);
  return match ? { mediaType: match[1].toLowerCase(), data: match[3] } : undefined;
}

/** The `data:` URL of an inline image. */
export function imageDataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}

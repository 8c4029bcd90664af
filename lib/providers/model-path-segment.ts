/**
 * A model that a provider puts into its URL path (Gemini's `models/{model}:…`, Azure's
 * `deployments/{deployment}/…`) must stay one path segment: docs/api.md "Limits and
 * validation" refuses `/`, `?`, `#`, `%` and `..`, and the rest is percent-encoded.
 */
import { badRequest } from '../errors.js';

const FORBIDDEN = /[/?#%\\]|\.\./;

/**
 * The model as one percent-encoded path segment.
 * @param provider the provider's name, for the message
 * @throws GatewayError 400 (`param: "model"`) for a missing model or one that could
 *   leave its segment
 */
export function modelPathSegment(model: string | undefined, provider: string): string {
  if (model === undefined || model.trim() === '') throw badRequest(`Provider ${provider} needs a model`, 'model', 'invalid_model');
  if (FORBIDDEN.test(model)) {
    throw badRequest(
      `Provider ${provider} puts the model into its URL, so it may not hold "/", "?", "#", "%", "\\" or "..": "${model}"`,
      'model',
      'invalid_model',
    );
  }
  return encodeURIComponent(model);
}

/**
 * Bounded `model` label values. A model name comes from the client (the body's `model`, a
 * chain entry's `provider/model`), and the configuration lists no models, so a name only
 * becomes a label value once its provider has answered it with a success (the provider
 * knows the model: an invented name gets a 404 and never becomes one), and at most
 * {@link MODELS_PER_PROVIDER} names per provider; every other name is `other`.
 */

/** How many model names each provider may add as label values. */
export const MODELS_PER_PROVIDER = 50;

/** The label value for a request that named no model. */
const NONE = '';
const OTHER = 'other';

/** The model label values admitted so far, per provider. */
export class ModelLabels {
  private readonly admitted = new Map<string, Set<string>>();

  constructor(private readonly cap = MODELS_PER_PROVIDER) {}

  /**
   * The label for `model` at `provider`.
   * @param answered whether the provider answered this request with a success (admits a new name)
   */
  label(provider: string, model: string | undefined, answered: boolean): string {
    if (model === undefined || model === '') return NONE;
    let models = this.admitted.get(provider);
    if (models?.has(model)) return model;
    if (!answered) return OTHER;
    if (models === undefined) {
      models = new Set();
      this.admitted.set(provider, models);
    }
    if (models.size >= this.cap) return OTHER;
    models.add(model);
    return model;
  }
}

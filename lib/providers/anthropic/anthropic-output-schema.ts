/**
 * A JSON schema as Anthropic's structured output takes it, the way Anthropic's own SDKs
 * prepare one: every object closed (`additionalProperties: false`, which Anthropic
 * requires), and the constraints it does not support (`minimum`, `maxLength`, …) moved
 * into the description, where the model still reads them. A schema that leaves an object
 * open on purpose cannot be honoured that way.
 *
 * @see https://docs.anthropic.com/en/docs/build-with-claude/structured-outputs#json-schema-limitations
 */

type Schema = Record<string, unknown>;

const UNSUPPORTED = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'maxItems', 'minProperties', 'maxProperties'];
const SUBSCHEMA_LISTS = ['anyOf', 'allOf', 'oneOf', 'prefixItems'];
const SUBSCHEMA_MAPS = ['properties', '$defs', 'definitions'];

const isSchema = (value: unknown): value is Schema => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Thrown inside the walk for an object left open on purpose. */
class OpenObject extends Error {}

function prepare(schema: Schema): Schema {
  const out: Schema = { ...schema };
  const moved: string[] = [];
  for (const keyword of UNSUPPORTED) {
    if (keyword in out) {
      moved.push(`${keyword}: ${JSON.stringify(out[keyword])}`);
      delete out[keyword];
    }
  }
  if (typeof out.minItems === 'number' && out.minItems > 1) {
    moved.push(`minItems: ${out.minItems}`);
    delete out.minItems;
  }
  if (moved.length > 0) out.description = [out.description, `{${moved.join(', ')}}`].filter(Boolean).join('\n\n');
  if (out.type === 'object' || isSchema(out.properties)) {
    if (out.additionalProperties === undefined) out.additionalProperties = false;
    else if (out.additionalProperties !== false) throw new OpenObject();
  }
  for (const key of SUBSCHEMA_MAPS) {
    const map = out[key];
    if (isSchema(map)) out[key] = Object.fromEntries(Object.entries(map).map(([name, value]) => [name, isSchema(value) ? prepare(value) : value]));
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = list.map((value) => (isSchema(value) ? prepare(value) : value));
  }
  if (isSchema(out.items)) out.items = prepare(out.items);
  return out;
}

/** The schema prepared for `output_config.format`; undefined when it keeps an object open. */
export function anthropicOutputSchema(schema: unknown): Schema | undefined {
  if (!isSchema(schema)) return undefined;
  try {
    return prepare(schema);
  } catch (error) {
    if (error instanceof OpenObject) return undefined;
    throw error;
  }
}

/**
 * Fastify's validator compiler for this API, stricter than the default one. The default Ajv set-up
 * (`coerceTypes: 'array'`, `removeAdditional: true`) turns `?n=Infinity`, `0x10`, `1e3`, `+196`,
 * ` 196`, `n[]=1` (dropped as unknown) and, in JSON bodies, `true`, `[5]` and `"0x32"` into
 * numbers. Here:
 *
 * - a query or path parameter declared `integer` must be written as a decimal integer (an
 *   optional minus, digits, nothing else) and then meet the schema's range; any other spelling,
 *   or the parameter given twice, is a 400;
 * - unknown query parameters are refused (the schemas say `additionalProperties: false`), not
 *   silently dropped;
 * - JSON bodies are never coerced: a number is a JSON number.
 */
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

/** How an integer in a URL must be written. Leading zeros are plain decimal, so they pass. */
const DECIMAL_INTEGER = /^-?[0-9]+$/;

/** A validator as Fastify calls it: true, or false with `errors` set. */
interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/**
 * The compiler to give `app.setValidatorCompiler`.
 * @example app.setValidatorCompiler(strictValidatorCompiler());
 */
export function strictValidatorCompiler(): FastifySchemaCompiler<SchemaObject> {
  const common = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false } as const;
  // Query strings and path parameters arrive as strings: they need coercion, after the check below.
  const urlAjv = new Ajv({ ...common, coerceTypes: true });
  const bodyAjv = new Ajv({ ...common, coerceTypes: false });
  return ({ schema, httpPart }) => {
    if (httpPart !== 'querystring' && httpPart !== 'params') return bodyAjv.compile(schema);
    return decimalIntegersFirst(urlAjv.compile(schema), integerProperties(schema));
  };
}

/** Names of the top-level properties whose type is `integer`. */
function integerProperties(schema: SchemaObject): string[] {
  const props = (schema.properties ?? {}) as Record<string, { type?: unknown }>;
  return Object.entries(props)
    .filter(([, p]) => p.type === 'integer')
    .map(([name]) => name);
}

/** `validate`, preceded by the check that every integer property is written in decimal. */
function decimalIntegersFirst(validate: ValidateFunction, integers: readonly string[]): Validator {
  const wrapped: Validator = (data: unknown) => {
    if (data !== null && typeof data === 'object') {
      const record = data as Record<string, unknown>;
      for (const name of integers) {
        if (!Object.hasOwn(record, name)) continue;
        const raw = record[name];
        if (typeof raw !== 'string' || !DECIMAL_INTEGER.test(raw)) {
          const message = Array.isArray(raw) ? 'must be given once' : 'must be a decimal integer';
          wrapped.errors = [{ instancePath: `/${name}`, schemaPath: '#/properties', keyword: 'type', params: {}, message }];
          return false;
        }
      }
    }
    const ok = validate(data);
    wrapped.errors = ok ? null : (validate.errors ?? null);
    return ok;
  };
  return wrapped;
}

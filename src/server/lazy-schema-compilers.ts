import ajvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type ValidatorFactory = ReturnType<typeof ajvCompiler>;
type SerializerFactory = ReturnType<typeof SerializerSelector>;
type RouteValidator = ReturnType<ReturnType<ValidatorFactory>>;

/**
 * Fastify's own compilers (Ajv for requests, fast-json-stringify for responses), building each
 * route's functions on its first use instead of at start-up. Built at start, they were over half
 * of the start's CPU — hundreds of routes, most never called by a given deployment — and memory
 * held for good. The same compilers build the same functions, only later; the test in
 * test/server/schema-compilers.test.ts builds every route's functions, so a schema that does not
 * compile still fails a test rather than a request.
 */
export const lazySchemaCompilers = {
  buildValidator: lazyValidatorFactory(ajvCompiler()),
  buildSerializer: lazySerializerFactory(SerializerSelector()),
};

export function lazyValidatorFactory(build: ValidatorFactory): ValidatorFactory {
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    return (route) => {
      // With a compiler of its own, Fastify no longer lower-cases header schemas; Node gives
      // header names in lower case, so a schema naming one otherwise would never match.
      if (route.httpPart === 'headers') assertLowerCaseHeaders(route.schema, `${route.method ?? ''} ${route.url ?? ''}`);
      return lazyValidator(() => compile(route));
    };
  };
}

export function lazySerializerFactory(build: SerializerFactory): SerializerFactory {
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    return (route) => {
      let serialize: ((doc: unknown) => string) | undefined;
      return (doc: unknown) => {
        serialize ??= compile(route);
        return serialize(doc);
      };
    };
  };
}

/**
 * A function that validates as Ajv's would, compiled on the first call. Fastify reads two of the
 * function's properties: `schemaEnv` (present on Ajv's functions: then it passes the parent
 * object, so coercion can replace a root value) and `errors` after a failed call.
 */
function lazyValidator(compile: () => RouteValidator): RouteValidator {
  let compiled: RouteValidator | undefined;
  const validator = () => (compiled ??= compile());
  const validate = (...args: Parameters<RouteValidator>) => validator()(...args);
  Object.defineProperty(validate, 'schemaEnv', { get: () => validator().schemaEnv });
  Object.defineProperty(validate, 'errors', { get: () => compiled?.errors });
  return validate as RouteValidator;
}

function assertLowerCaseHeaders(schema: unknown, route: string): void {
  if (typeof schema !== 'object' || schema === null) return;
  const { properties, required } = schema as { properties?: Record<string, unknown>; required?: unknown };
  const names = [...Object.keys(properties ?? {}), ...(Array.isArray(required) ? required.map(String) : [])];
  const named = names.find((name) => name !== name.toLowerCase());
  if (named !== undefined) throw new Error(`${route}: the header schema names "${named}"; name headers in lower case`);
}

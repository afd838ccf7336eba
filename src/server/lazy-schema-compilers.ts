import ajvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type ValidatorFactory = ReturnType<typeof ajvCompiler>;
type SerializerFactory = ReturnType<typeof SerializerSelector>;
type RouteValidator = ReturnType<ReturnType<ValidatorFactory>>;

/**
 * Fastify's own compilers (Ajv for requests, fast-json-stringify for responses), building each
 * route's functions on its first use instead of at start-up. Built at start, they were over half
 * of the start's CPU — hundreds of routes, most never called by a given deployment — and memory
 * held for good. The same compilers build the same functions, only later. `compileAll` builds
 * every one still waiting: test/server/schema-compilers.test.ts uses it, so a schema that does
 * not compile fails a test rather than a request.
 */
export class LazySchemaCompilers {
  readonly #waiting = new Set<() => unknown>();
  readonly buildValidator: ValidatorFactory;
  readonly buildSerializer: SerializerFactory;

  constructor(validators: ValidatorFactory = ajvCompiler(), serializers: SerializerFactory = SerializerSelector()) {
    this.buildValidator = (externalSchemas, options) => {
      const compile = validators(externalSchemas, options);
      return (route) => {
        // With a compiler of its own, Fastify no longer lower-cases header schemas; Node gives
        // header names in lower case, so a schema naming one otherwise would never match.
        if (route.httpPart === 'headers') assertLowerCaseHeaders(route.schema, `${route.method ?? ''} ${route.url ?? ''}`);
        return this.#lazyValidator(() => compile(route));
      };
    };
    this.buildSerializer = (externalSchemas, options) => {
      const compile = serializers(externalSchemas, options);
      return (route) => {
        const serializer = this.#later(() => compile(route));
        return (doc: unknown) => serializer()(doc);
      };
    };
  }

  /** Builds every function not built yet; returns how many it built. */
  compileAll(): number {
    const waiting = [...this.#waiting];
    for (const build of waiting) build();
    return waiting.length;
  }

  /** `build`, run once on the first call of the returned function (or by compileAll). */
  #later<T>(build: () => T): () => T {
    let built: { value: T } | undefined;
    const get = (): T => {
      if (!built) {
        built = { value: build() };
        this.#waiting.delete(get);
      }
      return built.value;
    };
    this.#waiting.add(get);
    return get;
  }

  /**
   * A function that validates as Ajv's would, built on the first call. Fastify reads two of the
   * function's properties: `schemaEnv` (present on Ajv's functions: then it passes the parent
   * object, so coercion can replace a root value) and `errors` after a failed call.
   */
  #lazyValidator(compile: () => RouteValidator): RouteValidator {
    const validator = this.#later(compile);
    let built: RouteValidator | undefined;
    const validate = (...args: Parameters<RouteValidator>) => (built = validator())(...args);
    Object.defineProperty(validate, 'schemaEnv', { get: () => (built = validator()).schemaEnv });
    Object.defineProperty(validate, 'errors', { get: () => built?.errors });
    return validate as RouteValidator;
  }
}

function assertLowerCaseHeaders(schema: unknown, route: string): void {
  if (typeof schema !== 'object' || schema === null) return;
  const { properties, required } = schema as { properties?: Record<string, unknown>; required?: unknown };
  const names = [...Object.keys(properties ?? {}), ...(Array.isArray(required) ? required.map(String) : [])];
  const named = names.find((name) => name !== name.toLowerCase());
  if (named !== undefined) throw new Error(`${route}: the header schema names "${named}"; name headers in lower case`);
}

import { Type, type TLiteral, type TUnion } from 'typebox';

/** RFC 9457 problem details as served by the project's own API. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URN naming the error code; see docs/errors.md' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: 'What went wrong and what to do about it' }),
    instance: Type.String({ description: 'The request path' }),
    code: Type.String(),
    requestId: Type.String({ description: 'Quote it when reporting a problem; it is in the server logs' }),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', title: 'Problem' },
);

/** Error responses every route may give; merged into each route's response schema. */
export const problemResponses = {
  '4xx': Type.Ref('Problem'),
  '5xx': Type.Ref('Problem'),
} as const;

/**
 * A union of the given strings. Typed as a union of one literal of all of them: TypeBox types a
 * union by its members' tuple, and over an array (the map) it would be `never`, so every body and
 * answer using it had fields of type never, which accept anything and tell the web nothing.
 */
export const literals = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((value) => Type.Literal(value))) as TUnion<[TLiteral<T>]>;

import { Type } from 'typebox';

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

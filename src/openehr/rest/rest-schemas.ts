import { Type } from 'typebox';

/** Any RM object in canonical JSON; its shape is defined by the openEHR RM, not repeated here. */
export const RmObject = Type.Object({}, { additionalProperties: true, description: 'openEHR RM object, canonical JSON' });

export const OpenEhrError = Type.Object(
  {
    error: Type.String(),
    message: Type.String(),
    code: Type.String(),
    status: Type.Integer(),
    requestId: Type.String(),
    path: Type.String(),
    validationErrors: Type.Optional(Type.Array(Type.String())),
  },
  { $id: 'OpenEhrError', title: 'openEHR error' },
);

export const openEhrErrorResponses = {
  '4xx': Type.Ref('OpenEhrError'),
  '5xx': Type.Ref('OpenEhrError'),
} as const;

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const EhrIdParam = Type.String({ pattern: UUID_PATTERN, description: 'EHR id (uuid)' });

export const PreferHeader = Type.Optional(Type.String({ description: 'return=minimal (default) | return=representation' }));

export const VersionAtTime = Type.Optional(
  Type.String({ description: 'ISO 8601 date-time with time zone; the version current at that moment' }),
);

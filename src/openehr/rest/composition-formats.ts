import { AppError } from '../../errors/app-error.js';
import { compositionToFlat, compositionToStructured, FlatFormatError, flatToComposition, structuredToComposition } from '../flat/index.js';
import { CanonicalXmlError, parseCanonicalXml, toCanonicalXml } from '../rm/canonical-xml.js';
import { coerceRmPrimitives } from '../rm/rm-primitive-coercion.js';
import { templateIdOf } from '../service/composition-service.js';
import { movedFlatKeys, type TemplateService } from '../service/template-service.js';
import { isJsonObject, type JsonObject } from '../../shared/json.js';

export type CompositionFormat = 'JSON' | 'XML' | 'FLAT' | 'STRUCTURED';

export const MEDIA_TYPES: Record<CompositionFormat, string> = {
  JSON: 'application/json',
  XML: 'application/xml',
  FLAT: 'application/openehr.wt.flat.schema+json',
  STRUCTURED: 'application/openehr.wt.structured.schema+json',
};

export interface CompositionFormats {
  /** Turns a request body in any supported format into canonical JSON. */
  decode(body: unknown, contentType: string | undefined, query: { format?: string; templateId?: string }): Promise<unknown>;
  /** Renders canonical JSON in the format the client asked for. */
  encode(composition: JsonObject, accept: string | undefined, format: string | undefined): Promise<{ contentType: string; body: unknown }>;
}

/**
 * The formats a composition travels in: canonical JSON and XML, and the simplified FLAT and
 * STRUCTURED formats defined by the composition's web template. The `format` query parameter
 * wins over the media type, as EHRbase clients expect. `clock` gives the time a FLAT or
 * STRUCTURED body's context defaults to (the app's clock).
 */
export function compositionFormats(templates: TemplateService, clock: () => Date): CompositionFormats {
  return {
    async decode(body, contentType, query) {
      const format = requestFormat(contentType, query.format);
      // Numbers and booleans sent as strings ("130") are read as the RM primitive before validation.
      if (format === 'JSON') return coerceRmPrimitives(body, 'COMPOSITION');
      if (format === 'XML') return decodeXml(body);
      if (!query.templateId) {
        throw new AppError('bad-request', `A ${format} composition needs the templateId query parameter naming its template.`);
      }
      if (!isJsonObject(body)) throw new AppError('bad-request', `A ${format} composition must be a JSON object.`);
      const template = await templates.find(query.templateId);
      if (!template) throw new AppError('unprocessable', `Template ${query.templateId} is not known here; upload it first.`);
      return decodeWebTemplateFormat(format, body, template, { templateId: query.templateId, now: clock().toISOString() });
    },

    async encode(composition, accept, formatQuery) {
      const format = formatQuery ? parseFormat(formatQuery) : formatOfAccept(accept);
      if (format === 'JSON') return { contentType: MEDIA_TYPES.JSON, body: composition };
      if (format === 'XML') return { contentType: MEDIA_TYPES.XML, body: toCanonicalXml(composition, { type: 'COMPOSITION' }) };
      const templateId = templateIdOf(composition);
      const template = templateId ? await templates.find(templateId) : undefined;
      if (!template)
        throw new AppError(
          'not-acceptable',
          `The composition's template ${templateId ?? '(none)'} is not known, so it cannot be shown as ${format}.`,
        );
      return encodeWebTemplateFormat(format, composition, template);
    },
  };
}

type StoredTemplate = NonNullable<Awaited<ReturnType<TemplateService['find']>>>;

/** The format of a request body: the `format` parameter, else its media type; a media type no format has is refused. */
function requestFormat(contentType: string | undefined, formatQuery: string | undefined): CompositionFormat {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!formatQuery && mediaType && formatOfMediaType(contentType) === undefined && !/^application\/([\w.-]+\+)?json$/.test(mediaType)) {
    throw new AppError(
      'unsupported-media-type',
      `A composition is sent as application/json, application/xml, or a FLAT or STRUCTURED JSON media type; not ${mediaType}.`,
    );
  }
  return formatQuery ? parseFormat(formatQuery) : (formatOfMediaType(contentType) ?? 'JSON');
}

function decodeXml(body: unknown): unknown {
  if (typeof body !== 'string')
    throw new AppError('unsupported-media-type', 'A canonical XML composition must be sent as application/xml.');
  try {
    return parseCanonicalXml(body, { type: 'COMPOSITION' });
  } catch (error) {
    if (error instanceof CanonicalXmlError)
      throw new AppError('bad-request', `The XML composition cannot be read: ${error.message}`, { cause: error });
    throw error;
  }
}

/** A FLAT or STRUCTURED body as canonical JSON; one that does not fit the template is refused with every issue. */
function decodeWebTemplateFormat(
  format: 'FLAT' | 'STRUCTURED',
  body: JsonObject,
  template: StoredTemplate,
  context: { templateId: string; now: string },
): unknown {
  const options = { now: context.now, skippedNode: template.skippedNode };
  try {
    return format === 'FLAT'
      ? flatToComposition(movedFlatKeys(body, template), template.webTemplate, options)
      : structuredToComposition(body, template.webTemplate, options);
  } catch (error) {
    if (error instanceof FlatFormatError) {
      throw new AppError('unprocessable', `The ${format} composition does not fit template ${context.templateId}.`, {
        issues: error.issues,
        cause: error,
      });
    }
    throw error;
  }
}

function encodeWebTemplateFormat(
  format: 'FLAT' | 'STRUCTURED',
  composition: JsonObject,
  template: StoredTemplate,
): { contentType: string; body: unknown } {
  const options = { skippedNode: template.skippedNode };
  try {
    return format === 'FLAT'
      ? { contentType: MEDIA_TYPES.FLAT, body: compositionToFlat(composition, template.webTemplate, options) }
      : { contentType: MEDIA_TYPES.STRUCTURED, body: compositionToStructured(composition, template.webTemplate, options) };
  } catch (error) {
    if (error instanceof FlatFormatError) {
      throw new AppError('not-acceptable', `This composition holds content ${format} cannot express; ask for canonical JSON or XML.`, {
        issues: error.issues,
        cause: error,
      });
    }
    throw error;
  }
}

function parseFormat(value: string): CompositionFormat {
  const upper = value.toUpperCase();
  if (upper === 'JSON' || upper === 'CANONICAL' || upper === 'RAW') return 'JSON';
  if (upper === 'XML' || upper === 'FLAT' || upper === 'STRUCTURED') return upper;
  throw new AppError('bad-request', `format must be JSON, XML, FLAT or STRUCTURED; got "${value}".`);
}

function formatOfMediaType(contentType: string | undefined): CompositionFormat | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!type) return undefined;
  const entry = (Object.entries(MEDIA_TYPES) as [CompositionFormat, string][]).find(([, media]) => media === type);
  if (entry) return entry[0];
  if (type === 'text/xml') return 'XML';
  return undefined;
}

/** The first acceptable format in the Accept header; canonical JSON when nothing specific is asked. */
function formatOfAccept(accept: string | undefined): CompositionFormat {
  if (!accept) return 'JSON';
  const ranges = accept
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
      const q = Number(params.find((param) => param.startsWith('q='))?.slice(2) ?? '1');
      return { type, q: Number.isNaN(q) ? 0 : q };
    })
    .filter((range) => range.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const range of ranges) {
    if (range.type === '*/*' || range.type === 'application/*') return 'JSON';
    const format = formatOfMediaType(range.type);
    if (format) return format;
  }
  throw new AppError('not-acceptable', `None of "${accept}" can be produced; use ${Object.values(MEDIA_TYPES).join(', ')}.`);
}

import { inflateSync } from 'node:zlib';

/**
 * The text a PDF shows, for tests: pdfkit writes each run of text as hex strings in a TJ array,
 * inside page streams that are Flate-compressed unless asked otherwise; each stream is inflated
 * when it can be, then the runs are read in order, one line per run.
 */
export function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const streams = [...source.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)].map((match) => {
    const raw = Buffer.from(match[1] ?? '', 'latin1');
    try {
      return inflateSync(raw).toString('latin1');
    } catch {
      return raw.toString('latin1');
    }
  });
  return [...streams.join('\n').matchAll(/\[([^\]]*)\]\s*TJ/g)]
    .map((match) =>
      [...(match[1] ?? '').matchAll(/<([0-9a-f]*)>/gi)].map((hex) => Buffer.from(hex[1] ?? '', 'hex').toString('latin1')).join(''),
    )
    .join('\n');
}

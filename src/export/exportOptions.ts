import { z } from 'zod';
import { EXPORT_FORMATS, type ExportSpec } from './runExport';
import { SUBGRAPH_DIRECTIONS } from './subgraph';

/**
 * What the export command and the subgraph download take, checked once: each problem names the option and
 * shows the value received. `knownAsOf` is an instant with its offset, normalised to record time (UTC,
 * milliseconds), because record times are compared as text (src/records/recordTime.ts).
 */

const Instant = z.iso
  .datetime({ offset: true, message: 'must be an instant such as 2026-11-30T12:00:00Z' })
  .transform((t) => new Date(t).toISOString());

const WholeNumber = (what: string) => z.string().regex(/^\d+$/, `must be ${what}`).transform(Number);

export const ExportOptions = z
  .strictObject({
    format: z.enum(EXPORT_FORMATS, { message: `must be one of ${EXPORT_FORMATS.join(', ')}` }),
    entity: z
      .string()
      .regex(/^(org|person):[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be an organization or person id')
      .optional(),
    depth: WholeNumber('a whole number of steps (0 or more)').optional(),
    direction: z.enum(SUBGRAPH_DIRECTIONS, { message: 'must be up, down or both' }).optional(),
    knownAsOf: Instant.optional(),
  })
  .superRefine((o, ctx) => {
    if (o.entity === undefined && (o.depth !== undefined || o.direction !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['entity'],
        message: 'is required when depth or direction is given',
      });
    }
  });
export type ExportOptions = z.infer<typeof ExportOptions>;

export interface OptionProblem {
  option: string;
  message: string;
}

/** The options as an export spec, or every problem (with `maxDepth`: a depth above it is refused). */
export function exportSpecOf(
  raw: Record<string, unknown>,
  limits: { maxDepth: number; maxParties: number; defaultDepth: number },
): { ok: true; spec: ExportSpec } | { ok: false; problems: OptionProblem[] } {
  const parsed = ExportOptions.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        if (issue.code === 'unrecognized_keys') {
          return { option: issue.keys[0]!, message: `Unknown option(s) ${issue.keys.join(', ')}.` };
        }
        const option = String(issue.path[0] ?? 'format');
        return {
          option,
          message: `"${option}" ${issue.message}, got ${JSON.stringify(raw[option] ?? null)}.`,
        };
      }),
    };
  }
  const o = parsed.data;
  const depth = o.depth ?? limits.defaultDepth;
  if (o.entity !== undefined && depth > limits.maxDepth) {
    return {
      ok: false,
      problems: [
        {
          option: 'depth',
          message: `"depth" must be at most ${limits.maxDepth} (EXPORT_MAX_DEPTH), got ${JSON.stringify(raw.depth)}.`,
        },
      ],
    };
  }
  return {
    ok: true,
    spec: {
      format: o.format,
      knownAsOf: o.knownAsOf ?? null,
      subgraph: o.entity === undefined ? null : { entity: o.entity, depth, direction: o.direction ?? 'both' },
      maxParties: limits.maxParties,
    },
  };
}

import type { Logger } from '../../src/log';

/** A logger that keeps every line in memory, for tests that assert what was logged. */
export function capturingLogger(): Logger & {
  lines: Array<{ level: string; msg: string } & Record<string, unknown>>;
} {
  const lines: Array<{ level: string; msg: string } & Record<string, unknown>> = [];
  const at =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      void lines.push({ level, msg, ...fields });
  return {
    lines,
    debug: () => undefined,
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    isLevelEnabled: (level) => level !== 'debug',
  };
}

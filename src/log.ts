/**
 * The one logger, on pino. On a terminal, human-readable lines (time, level, message, then the fields);
 * otherwise, or with LOG_FORMAT=json, one JSON object per line (`time`, `level`, `msg`, fields) so log
 * shippers read them. Info and below go to stdout, warn and error to stderr, in both formats.
 */
import pino from 'pino';
import pretty from 'pino-pretty';
import { REDACTED, REDACTED_PATHS, scrubFields, scrubSecrets } from './auth/redact';
import { logFormatSetting } from './config';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'auto' | 'pretty' | 'json';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  isLevelEnabled(level: LogLevel): boolean;
}

/** Pretty when asked, or on `auto` when stdout is a terminal. */
export function resolveFormat(format: LogFormat, isTTY: boolean | undefined): 'pretty' | 'json' {
  return format === 'auto' ? (isTTY ? 'pretty' : 'json') : format;
}

function streams(format: 'pretty' | 'json'): pino.MultiStreamRes {
  const out =
    format === 'pretty'
      ? (fd: 1 | 2) =>
          pretty({
            destination: fd,
            sync: true,
            colorize: Boolean(fd === 1 ? process.stdout.isTTY : process.stderr.isTTY),
            translateTime: 'SYS:HH:MM:ss',
            ignore: 'pid,hostname',
            singleLine: true,
            errorLikeObjectKeys: ['err'],
          })
      : (fd: 1 | 2) => pino.destination({ fd, sync: true });
  // dedupe: a line goes to the stream with the highest level it reaches, so warnings are not printed twice.
  return pino.multistream(
    [
      { level: 'debug', stream: out(1) },
      { level: 'warn', stream: out(2) },
    ],
    { dedupe: true },
  );
}

export function createLogger(
  level: LogLevel = 'info',
  base: Record<string, unknown> = {},
  format: LogFormat = logFormatSetting(),
): Logger {
  const logger = pino(
    {
      level,
      base,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Credentials never reach a log line: headers dropped by path, and keys or tokens cut out of any text.
      redact: { paths: REDACTED_PATHS, censor: REDACTED },
    },
    streams(resolveFormat(format, process.stdout.isTTY)),
  );
  // A line below the level is dropped before its fields are scrubbed: the scrub walks every field with three
  // patterns, and the request log's line is built for every request (bench:peer runs at LOG_LEVEL=warn).
  const write =
    (lvl: Exclude<LogLevel, 'silent'>) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      if (!logger.isLevelEnabled(lvl)) return;
      if (fields) logger[lvl](scrubFields(fields) as object, scrubSecrets(msg));
      else logger[lvl](scrubSecrets(msg));
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    isLevelEnabled: (l) => l !== 'silent' && logger.isLevelEnabled(l),
  };
}

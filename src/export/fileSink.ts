import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import type { ExportChunk } from './formatWriter';
import type { TextSink } from './runExport';

/**
 * Export sinks on disk: one file, or a folder whose files the format opens in turn. Each write waits for the
 * stream to drain when its buffer is full (backpressure), so memory holds a page whatever the export's size.
 */

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'close');
}

export function fileSink(file: string): TextSink {
  const stream = createWriteStream(file, { encoding: 'utf8' });
  return {
    write: (chunk: ExportChunk) => write(stream, chunk.text),
    end: () => close(stream),
  };
}

/** A folder sink: the folder is created; a chunk naming a file closes the one open and starts it. */
export async function folderSink(folder: string): Promise<TextSink> {
  await fs.mkdir(folder, { recursive: true });
  const leftovers = (await fs.readdir(folder)).filter((f) => f.endsWith('.json'));
  if (leftovers.length > 0) {
    throw new Error(
      `The folder ${folder} already holds data-set files (${leftovers.slice(0, 3).join(', ')}…); ` +
        'export into an empty folder, so that loading it loads only this export.',
    );
  }
  let stream: WriteStream | null = null;
  return {
    async write(chunk: ExportChunk) {
      if (chunk.file !== undefined) {
        if (stream) await close(stream);
        stream = createWriteStream(path.join(folder, chunk.file), { encoding: 'utf8' });
      }
      if (!stream) throw new Error('a folder export wrote text before naming its first file');
      await write(stream, chunk.text);
    },
    async end() {
      if (stream) await close(stream);
    },
  };
}

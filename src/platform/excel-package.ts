// What an uploaded .xlsx must be before any spreadsheet parser sees it: a ZIP with the parts of an
// Excel workbook, of bounded size once unpacked. A 1.3 MB file can unpack to gigabytes (a "zip
// bomb") and the headers that declare sizes can lie, so every entry is inflated here with a running
// count and the work stops at the first byte over the limit. Runs in the parsing worker
// (excel-worker.ts), never on the server's event loop.
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

export const workbookLimits = Object.freeze({
  /** Bytes of all parts together, unpacked. */
  maxUnpackedBytes: 100 * 1024 * 1024,
  maxEntries: 5_000,
});

export type PackageProblem =
  | { kind: 'not_a_workbook'; detail: string }
  | { kind: 'too_large'; unpackedBytes: number; entries: number };

/** Null when the package is a plausible, bounded workbook; otherwise what is wrong with it. */
export async function inspectWorkbookPackage(buf: Buffer): Promise<PackageProblem | null> {
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true }, (err, z) =>
        err || !z ? reject(err ?? new Error('no zip')) : resolve(z),
      ),
    );
  } catch (e) {
    return { kind: 'not_a_workbook', detail: e instanceof Error ? e.message : String(e) };
  }
  const names = new Set<string>();
  let unpacked = 0;
  let entries = 0;
  try {
    const over = await new Promise<boolean>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve(false));
      zip.on('entry', (entry: yauzl.Entry) => {
        entries++;
        names.add(entry.fileName);
        if (entries > workbookLimits.maxEntries) return resolve(true);
        if (unpacked + entry.uncompressedSize > workbookLimits.maxUnpackedBytes) {
          unpacked += entry.uncompressedSize;
          return resolve(true);
        }
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('unreadable entry'));
          countBytes(stream, workbookLimits.maxUnpackedBytes - unpacked).then(({ bytes, over }) => {
            unpacked += bytes;
            if (over) resolve(true);
            else zip.readEntry();
          }, reject);
        });
      });
      zip.readEntry();
    });
    if (over) return { kind: 'too_large', unpackedBytes: unpacked, entries };
  } catch (e) {
    return { kind: 'not_a_workbook', detail: e instanceof Error ? e.message : String(e) };
  } finally {
    zip.close();
  }
  for (const part of ['[Content_Types].xml', 'xl/workbook.xml']) {
    if (!names.has(part)) return { kind: 'not_a_workbook', detail: `no ${part}` };
  }
  return null;
}

/** Reads a stream to its end or until more than `budget` bytes came, whichever is first. */
function countBytes(stream: Readable, budget: number): Promise<{ bytes: number; over: boolean }> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > budget) {
        stream.destroy();
        resolve({ bytes, over: true });
      }
    });
    stream.on('end', () => resolve({ bytes, over: false }));
    stream.on('error', reject);
  });
}

import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Entry, fromBuffer } from 'yauzl';
import { EvidenceArchive } from './evidence-archive';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const PDF = { contentType: 'application/pdf', description: 'a signed PDF' };

function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error);
      const entries = new Map<string, Buffer>();
      file.on('end', () => resolve(entries));
      file.on('entry', (entry: Entry) => file.openReadStream(entry, (e, s) => {
        if (e || !s) return reject(e);
        collect(s).then((bytes) => { entries.set(entry.fileName, bytes); file.readEntry(); }, reject);
      }));
      file.readEntry();
    });
  });
}

/** Whether a promise settled within a few turns of the event loop. */
async function settled(p: Promise<unknown>, ms = 100): Promise<boolean> {
  let done = false;
  p.then(() => { done = true; }, () => { done = true; });
  await new Promise((r) => setTimeout(r, ms));
  return done;
}

describe('R-AUD EvidenceArchive (the ZIP of the evidence pack)', () => {
  it('R-AUD lists every entry with the SHA-256 and size of the bytes written; manifest.json comes last, unlisted', async () => {
    const archive = new EvidenceArchive(new Date('2026-11-23T10:00:00Z'));
    const zipped = collect(archive.stream);
    const signed = randomBytes(300_000);
    await archive.add('02-documents-signes/charter_1.pdf', signed, PDF);
    await archive.addJson('03-comptes/comptes.json', [{ id: 'a', name: 'Élodie' }], 'accounts');
    async function* pages() { yield '['; yield '{"seq":1}'; yield ']'; }
    await archive.addChunks('10-journal-audit/evenements.json', pages(), { contentType: 'application/json', description: 'extract' });
    await archive.finish(Buffer.from('{"files":[]}'));
    const entries = await unzip(await zipped);

    expect([...entries.keys()]).toEqual([
      '02-documents-signes/charter_1.pdf', '03-comptes/comptes.json', '10-journal-audit/evenements.json', 'manifest.json',
    ]);
    expect(archive.files.map((f) => f.path)).toEqual([...entries.keys()].slice(0, 3));
    for (const f of archive.files) {
      expect([f.path, f.sha256, f.size]).toEqual([f.path, sha256(entries.get(f.path)!), entries.get(f.path)!.length]);
    }
    expect(entries.get('02-documents-signes/charter_1.pdf')!.equals(signed)).toBe(true);
    expect(entries.get('10-journal-audit/evenements.json')!.toString()).toBe('[{"seq":1}]');
    expect(JSON.parse(entries.get('03-comptes/comptes.json')!.toString('utf8'))).toEqual([{ id: 'a', name: 'Élodie' }]);
  });

  it('R-AUD the producer waits for the reader: with nobody reading, an entry is not done, so the next file is not read yet', async () => {
    const archive = new EvidenceArchive(new Date());
    const pending = archive.add('02-documents-signes/big.pdf', randomBytes(4 * 1024 * 1024), PDF);
    expect(await settled(pending)).toBe(false);
    const zipped = collect(archive.stream);
    await pending;
    await archive.finish(Buffer.from('{}'));
    expect((await unzip(await zipped)).get('02-documents-signes/big.pdf')!.length).toBe(4 * 1024 * 1024);
  });

  it('R-AUD a client that goes away fails the pending entry and the next ones (the producer stops, it does not hang)', async () => {
    const archive = new EvidenceArchive(new Date());
    const pending = archive.add('02-documents-signes/big.pdf', randomBytes(4 * 1024 * 1024), PDF);
    expect(await settled(pending)).toBe(false);
    archive.stream.destroy();
    await expect(pending).rejects.toThrow();
    await expect(archive.addJson('x.json', {}, 'x')).rejects.toThrow();
  });

  it('R-AUD CSV views: UTF-8 with a byte order mark, CRLF, RFC 4180 quoting, formula cells neutralised', async () => {
    const archive = new EvidenceArchive(new Date());
    const zipped = collect(archive.stream);
    await archive.addCsv('a.csv', ['name', 'note', 'tags'], [
      { name: '=HYPERLINK("http://evil")', note: 'a, "quoted" note', tags: ['x', 'y'] },
      { name: 'Inès', note: null, tags: [] },
    ], 'csv');
    await archive.finish(Buffer.from('{}'));
    const text = (await unzip(await zipped)).get('a.csv')!.toString('utf8');
    expect(text).toBe('\uFEFFname,note,tags\r\n"\'=HYPERLINK(""http://evil"")","a, ""quoted"" note",x; y\r\nInès,,\r\n');
  });

  it('R-AUD refuses unsafe or repeated paths, and manifest.json, which is the pack\'s own', async () => {
    const archive = new EvidenceArchive(new Date());
    await expect(archive.addJson('../etc/passwd', {}, 'x')).rejects.toThrow(/Unsafe/);
    await expect(archive.addJson('/abs.json', {}, 'x')).rejects.toThrow(/Unsafe/);
    await expect(archive.addJson('manifest.json', {}, 'x')).rejects.toThrow(/twice/);
    const zipped = collect(archive.stream);
    await archive.addJson('a.json', {}, 'x');
    await expect(archive.addJson('a.json', {}, 'x')).rejects.toThrow(/twice/);
    await archive.finish(Buffer.from('{}'));
    expect([...(await unzip(await zipped)).keys()]).toEqual(['a.json', 'manifest.json']);
  });
});

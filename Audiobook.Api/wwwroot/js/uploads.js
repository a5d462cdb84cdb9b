// Chapter uploads from the browser. A small file is one PUT to storage; a file of two parts or more
// goes in parts of the size the API chose, four at a time, each retried with backoff when the
// connection drops, with one progress bar. The upload is remembered per file (name, size, date) in
// this browser: picked again after a reload or a crash, the same file resumes with the parts storage
// does not hold yet. Nothing of the file is kept, only the upload's id.
import { api, ApiError, putToStorage } from './api.js';

const PARALLEL = 4;
const SIGN_AHEAD = 8;          // part URLs asked for at a time (each lives a while, not forever)
const IN_PARTS_FROM = 16 * 1024 * 1024;
const RETRY_DELAYS = [1, 2, 4, 8, 15, 30];   // seconds; then the upload waits to be resumed
const SAVED = 'audiobook.uploads';

function saved() {
  try { return JSON.parse(localStorage.getItem(SAVED)) ?? {}; } catch { return {}; }
}
function remember(key, ticket) {
  const all = saved();
  if (ticket) all[key] = ticket; else delete all[key];
  localStorage.setItem(SAVED, JSON.stringify(all));
}
const fileKey = (bookId, file) => `${bookId}/${file.name}/${file.size}/${file.lastModified}`;

function contentType(file) {
  return file.type || (file.name.toLowerCase().endsWith('.mp4') ? 'video/mp4' : 'audio/mp4');
}

/**
 * Uploads one file as a chapter of the book and completes it. `report` is told what happens:
 * report.progress(0–1) and report.state(text).
 */
export async function uploadChapter(bookId, file, report) {
  const key = fileKey(bookId, file);
  let ticket = await resumable(bookId, key);
  if (ticket) {
    report.state('Resuming…');
  } else {
    ticket = await api('POST', `/api/v1/books/${bookId}/uploads`,
      { fileName: file.name, contentType: contentType(file), sizeBytes: file.size, multipart: file.size >= IN_PARTS_FROM || undefined });
  }
  if (ticket.method === 'MULTIPART') {
    remember(key, { uploadId: ticket.uploadId, partSizeBytes: ticket.partSizeBytes, partCount: ticket.partCount, expiresAt: ticket.expiresAt });
    await sendParts(bookId, ticket, file, report);
  } else {
    report.state('Uploading…');
    await putToStorage(ticket, file, report.progress);
  }
  report.progress(1);
  report.state('Checking…');
  try {
    await complete(bookId, ticket, file, report);
  } finally {
    // Completed, or refused for good (the API forgot the upload): either way nothing is left to resume.
    if (ticket.method === 'MULTIPART' && !(await stillOpen(bookId, ticket.uploadId).catch(() => true))) remember(key, null);
  }
}

/** The remembered multipart upload of this file, if the API still has it open. */
async function resumable(bookId, key) {
  const ticket = saved()[key];
  if (!ticket) return null;
  if (new Date(ticket.expiresAt) > new Date() && await stillOpen(bookId, ticket.uploadId)) {
    return { ...ticket, method: 'MULTIPART' };
  }
  remember(key, null);
  return null;
}

async function stillOpen(bookId, uploadId) {
  try {
    await api('GET', `/api/v1/books/${bookId}/uploads/${uploadId}/parts`);
    return true;
  } catch (failure) {
    if (failure instanceof ApiError && (failure.status === 404 || failure.status === 409)) return false;
    throw failure;
  }
}

async function complete(bookId, ticket, file, report) {
  const path = `/api/v1/books/${bookId}/uploads/${ticket.uploadId}/complete`;
  try {
    return await api('POST', path);
  } catch (failure) {
    // A part storage lost (or never got) after all: send the parts named, then complete again, once.
    const missing = failure.problem?.missingParts ?? [];
    const wrong = failure.problem?.wrongSizeParts ?? [];
    if (!(failure.status === 422 && missing.length + wrong.length > 0)) throw failure;
    await sendParts(bookId, ticket, file, report, [...missing, ...wrong]);
    return await api('POST', path);
  }
}

/** Sends the parts storage does not hold (or `only` these), PARALLEL at a time, with one progress for the file. */
async function sendParts(bookId, ticket, file, report, only = null) {
  const base = `/api/v1/books/${bookId}/uploads/${ticket.uploadId}/parts`;
  const stored = only ? [] : (await api('GET', base)).parts;
  const sizeOf = n => Math.min(ticket.partSizeBytes, file.size - (n - 1) * ticket.partSizeBytes);
  const storedNumbers = new Set(stored.map(p => p.partNumber));
  const todo = only ?? Array.from({ length: ticket.partCount }, (_, i) => i + 1).filter(n => !storedNumbers.has(n));
  let done = file.size - todo.reduce((sum, n) => sum + sizeOf(n), 0);
  const sending = new Map();
  const progress = () => report.progress((done + [...sending.values()].reduce((a, b) => a + b, 0)) / file.size);
  report.state(storedNumbers.size > 0 ? `Resuming: ${storedNumbers.size} of ${ticket.partCount} parts already stored` : 'Uploading…');
  progress();

  const urls = new Map();
  async function urlOf(n) {
    if (!urls.has(n)) {
      const next = todo.filter(m => m >= n && !urls.has(m)).slice(0, SIGN_AHEAD);
      const signed = await api('POST', base, { partNumbers: next });
      for (const part of signed.parts) urls.set(part.partNumber, part.url);
    }
    return urls.get(n);
  }

  async function sendOne(n) {
    const start = (n - 1) * ticket.partSizeBytes;
    const body = file.slice(start, start + sizeOf(n));
    for (let attempt = 0; ; attempt++) {
      try {
        await putToStorage({ method: 'PUT', url: await urlOf(n), headers: {} }, body, fraction => { sending.set(n, fraction * body.size); progress(); });
        sending.delete(n);
        done += body.size;
        urls.delete(n);
        progress();
        return;
      } catch (failure) {
        sending.delete(n);
        progress();
        if (failure.status === 403) urls.delete(n);       // an expired URL: ask for a new one
        else if (failure.status !== 0 && failure.status < 500) throw failure;
        if (attempt >= RETRY_DELAYS.length) {
          throw new ApiError(0, { detail: 'The connection was lost. Pick the same file again to resume where it stopped.' });
        }
        report.state(`Connection lost; trying again in ${RETRY_DELAYS[attempt]} s…`);
        await waitOnline(RETRY_DELAYS[attempt]);
        report.state('Uploading…');
      }
    }
  }

  const queue = [...todo];
  await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, async () => {
    while (queue.length > 0) await sendOne(queue.shift());
  }));
}

/** Waits the delay, or less if the browser says it is back online. */
function waitOnline(seconds) {
  return new Promise(resolve => {
    const done = () => { clearTimeout(timer); window.removeEventListener('online', done); resolve(); };
    const timer = setTimeout(done, seconds * 1000);
    window.addEventListener('online', done);
  });
}

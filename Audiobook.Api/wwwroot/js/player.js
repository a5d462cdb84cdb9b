// The player: one <audio> fed by signed stream URLs (Range requests do the seeking), progress saved
// to the API every few seconds and on pause/close, resume from the saved position on any device,
// and an expired URL replaced without losing the place.
import { api, formatTime } from './api.js';

const $ = id => document.getElementById(id);
const audio = $('audio');
const SAVE_EVERY_MS = 5000;
const SKIP_SECONDS = 30;
// "Previous marker" within this many seconds of a marker's start goes to the one before; later, back to its start.
const RESTART_MARKER_SECONDS = 3;

// wanted: where playback should be and whether it should play, kept across a failed load.
const state = { book: null, chapters: [], index: -1, marker: -1, savedAt: 0, dragging: false, recovering: false, wanted: { position: 0, play: false } };

export const player = {
  get book() { return state.book; },
  get chapter() { return state.chapters[state.index] ?? null; },

  /** Loads a chapter of a book at a position; plays it when asked. */
  async open(book, chapters, chapterId, position = 0, play = true) {
    state.book = book;
    state.chapters = chapters;
    state.index = Math.max(0, chapters.findIndex(c => c.id === chapterId));
    const chapter = state.chapters[state.index];
    if (!chapter) return;
    $('player').hidden = false;
    $('now-title').textContent = `${chapter.number}. ${chapter.title}`;
    $('now-book').textContent = `${book.title} — ${book.author}`;
    const hasMarkers = markers().length > 0;
    $('prev-marker').hidden = !hasMarkers;
    $('next-marker').hidden = !hasMarkers;
    await setSource(position, play);
    mediaSession(chapter, book);
    showCover(book);
  },

  /** Plays a chapter from a position: the one loaded is only moved, another is opened. */
  async jump(book, chapters, chapterId, position) {
    if (state.book?.id === book.id && this.chapter?.id === chapterId && audio.src) {
      audio.currentTime = position;
      await audio.play().catch(() => status('Press play to start.'));
      saveProgress();
      return;
    }
    await this.open(book, chapters, chapterId, position, true);
  },

  /** Resumes a book where its listener left off (paused), if anything was played in it. */
  async resume(book, chapters) {
    let progress;
    try {
      progress = await api('GET', `/api/v1/books/${book.id}/progress`);
    } catch (error) {
      if (error.status === 404) return false;
      throw error;
    }
    if (!chapters.some(c => c.id === progress.chapterId)) return false;
    if (this.book?.id === book.id && this.chapter?.id === progress.chapterId) return true;
    await this.open(book, chapters, progress.chapterId, progress.positionSeconds, false);
    status(`Resumed at ${formatTime(progress.positionSeconds)}.`);
    return true;
  },

  /** Keeps the queue in step when the book's chapters change. */
  update(book, chapters) {
    if (state.book?.id !== book.id) return;
    const current = this.chapter;
    state.book = book;
    state.chapters = chapters;
    state.index = current ? chapters.findIndex(c => c.id === current.id) : -1;
  },

  stop() {
    audio.pause();
    audio.removeAttribute('src');
    audio.load();
    Object.assign(state, { book: null, chapters: [], index: -1 });
    $('player').hidden = true;
  },
};

/** The markers (a single-file book's chapters) of the chapter loaded, in order. */
function markers() {
  return state.chapters[state.index]?.markers ?? [];
}

/** The marker playing at a position, or -1 before the first. */
function markerAt(seconds) {
  const list = markers();
  let found = -1;
  for (let i = 0; i < list.length && list[i].startSeconds <= seconds + 0.01; i++) found = i;
  return found;
}

function previousMarker() {
  const list = markers();
  if (!list.length) return skip(-SKIP_SECONDS);
  const current = markerAt(audio.currentTime);
  const intoIt = current >= 0 ? audio.currentTime - list[current].startSeconds : 0;
  const target = intoIt > RESTART_MARKER_SECONDS || current <= 0 ? Math.max(current, 0) : current - 1;
  audio.currentTime = list[target].startSeconds;
}

function nextMarker() {
  const list = markers();
  const following = markerAt(audio.currentTime) + 1;
  if (following >= list.length) return next();
  audio.currentTime = list[following].startSeconds;
}

/** The book's cover in the player and the media session, when it has one. */
async function showCover(book) {
  const image = $('now-cover');
  image.hidden = true;
  if (!book.hasCover) return;
  try {
    const signed = await api('GET', `/api/v1/books/${book.id}/cover`);
    if (state.book?.id !== book.id) return;
    image.src = signed.url;
    image.hidden = false;
    if ('mediaSession' in navigator && navigator.mediaSession.metadata) {
      navigator.mediaSession.metadata.artwork = [{ src: signed.url }];
    }
  } catch { /* the player works without it */ }
}

async function streamUrl() {
  const chapter = state.chapters[state.index];
  return api('GET', `/api/v1/books/${state.book.id}/chapters/${chapter.id}/stream`);
}

async function setSource(position, play) {
  state.wanted = { position, play };
  const signed = await streamUrl();
  audio.src = signed.url;
  audio.playbackRate = Number($('speed').value);
  const loaded = await new Promise(resolve => {
    audio.addEventListener('loadedmetadata', () => resolve(true), { once: true });
    audio.addEventListener('error', () => resolve(false), { once: true });
  });
  if (!loaded) return;   // the error handler below takes over
  audio.currentTime = Math.min(position, Math.max(0, (audio.duration || position) - 0.5));
  if (play) await audio.play().catch(() => status('Press play to start.'));
  render();
}

// A signed URL that expired (or a network blip) surfaces as a media error: fetch a fresh URL
// and continue from the same place, once per failure.
audio.addEventListener('error', async () => {
  if (!state.book || state.recovering) {
    status('This chapter cannot be played right now.');
    return;
  }
  state.recovering = true;
  // Before its metadata loaded, the element knows no position: use the one asked for.
  const position = audio.readyState >= 1 ? audio.currentTime : state.wanted.position;
  const play = audio.readyState >= 1 ? !audio.paused : state.wanted.play;
  try {
    await setSource(position, play);
  } catch (error) {
    status(error.message);
  } finally {
    state.recovering = false;
  }
});

async function saveProgress({ keepalive = false } = {}) {
  const chapter = player.chapter;
  if (!state.book || !chapter || !Number.isFinite(audio.currentTime)) return;
  state.savedAt = Date.now();
  try {
    await api('PUT', `/api/v1/books/${state.book.id}/progress`,
      { chapterId: chapter.id, positionSeconds: audio.currentTime, clientUpdatedAt: new Date().toISOString() }, { keepalive });
  } catch (error) {
    status(`Your place could not be saved: ${error.message}`);
  }
}

async function next() {
  if (state.index + 1 >= state.chapters.length) {
    status('End of the book.');
    return;
  }
  const following = state.chapters[state.index + 1];
  await player.open(state.book, state.chapters, following.id, 0, true);
}

function skip(seconds) {
  if (!audio.src) return;
  audio.currentTime = Math.max(0, Math.min(audio.duration || 0, audio.currentTime + seconds));
}

function toggle() {
  if (!audio.src) return;
  audio.paused ? audio.play() : audio.pause();
}

function status(text) { $('player-status').textContent = text; }

function render() {
  const playing = !audio.paused;
  $('play').textContent = playing ? 'Pause' : 'Play';
  $('play').setAttribute('aria-label', playing ? 'Pause' : 'Play');
  const duration = Number.isFinite(audio.duration) ? audio.duration : 0;
  $('seek').max = Math.floor(duration);
  if (!state.dragging) $('seek').value = Math.floor(audio.currentTime);
  $('seek').setAttribute('aria-valuetext', `${formatTime(audio.currentTime)} of ${formatTime(duration)}`);
  $('elapsed').textContent = formatTime(audio.currentTime);
  $('duration').textContent = formatTime(duration);
  const list = markers();
  const current = markerAt(audio.currentTime);
  const marker = list[current];
  $('now-marker').textContent = marker
    ? `${marker.title} · ${formatTime(audio.currentTime - marker.startSeconds)} of ${formatTime(marker.endSeconds - marker.startSeconds)}`
    : '';
  if (state.marker !== current) {
    state.marker = current;
    document.dispatchEvent(new CustomEvent('marker-change', { detail: { chapterId: player.chapter?.id, index: current } }));
  }
}

function mediaSession(chapter, book) {
  if (!('mediaSession' in navigator)) return;
  navigator.mediaSession.metadata = new MediaMetadata({ title: chapter.title, artist: book.author, album: book.title });
  const handlers = {
    play: () => audio.play(),
    pause: () => audio.pause(),
    seekbackward: () => skip(-SKIP_SECONDS),
    seekforward: () => skip(SKIP_SECONDS),
    previoustrack: () => previousMarker(),
    nexttrack: () => (markers().length ? nextMarker() : next()),
    seekto: details => { audio.currentTime = details.seekTime; },
  };
  for (const [action, handler] of Object.entries(handlers)) {
    try { navigator.mediaSession.setActionHandler(action, handler); } catch { /* not supported here */ }
  }
}

audio.addEventListener('timeupdate', () => {
  render();
  if (!audio.paused && Date.now() - state.savedAt > SAVE_EVERY_MS) saveProgress();
});
for (const event of ['play', 'pause', 'durationchange', 'ratechange']) audio.addEventListener(event, render);
audio.addEventListener('pause', () => { if (!state.recovering) saveProgress(); });
audio.addEventListener('ended', async () => { await saveProgress(); await next(); });
window.addEventListener('pagehide', () => saveProgress({ keepalive: true }));
document.addEventListener('visibilitychange', () => { if (document.hidden && !audio.paused) saveProgress({ keepalive: true }); });

$('play').addEventListener('click', toggle);
$('back30').addEventListener('click', () => skip(-SKIP_SECONDS));
$('fwd30').addEventListener('click', () => skip(SKIP_SECONDS));
$('next').addEventListener('click', () => next());
$('prev-marker').addEventListener('click', previousMarker);
$('next-marker').addEventListener('click', nextMarker);
$('speed').addEventListener('change', e => { audio.playbackRate = Number(e.target.value); });
$('seek').addEventListener('input', () => { state.dragging = true; $('elapsed').textContent = formatTime(Number($('seek').value)); });
$('seek').addEventListener('change', () => { state.dragging = false; audio.currentTime = Number($('seek').value); saveProgress(); });

// Shortcuts, unless the listener is typing: Space/K play-pause, J/← back 30 s, L/→ forward 30 s, N next chapter,
// [ and ] previous and next marker.
document.addEventListener('keydown', e => {
  if (!audio.src || e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || target.isContentEditable) return;
  if (target instanceof HTMLButtonElement && (e.key === ' ' || e.key === 'Enter')) return;
  const actions = { ' ': toggle, k: toggle, j: () => skip(-SKIP_SECONDS), ArrowLeft: () => skip(-SKIP_SECONDS), l: () => skip(SKIP_SECONDS), ArrowRight: () => skip(SKIP_SECONDS), n: next, '[': previousMarker, ']': nextMarker };
  const action = actions[e.key] ?? actions[e.key.toLowerCase()];
  if (action) {
    e.preventDefault();
    action();
  }
});

// Screens of the web player: sign in / register, the library, a book (chapters, upload), with the
// player always at the bottom. Hash routes: #/login, #/library, #/books/{id}.
import { api, session, signOutSession, putToStorage, formatTime } from './api.js';
import { uploadChapter } from './uploads.js';
import { h, alertBox, field } from './dom.js';
import { player } from './player.js';

const main = document.getElementById('main');
const PAGE_SIZE = 20;

async function route() {
  const path = location.hash.slice(1) || '/library';
  if (!session.token) return signInScreen();
  await showAccount();
  const book = path.match(/^\/books\/([0-9a-f]{32})$/);
  return book ? bookScreen(book[1]) : libraryScreen();
}

function show(...content) {
  main.replaceChildren(...content);
  main.focus();
}

async function showAccount() {
  const nav = document.getElementById('account');
  if (!nav.hidden) return;
  const me = await api('GET', '/api/v1/me');
  document.getElementById('who').textContent = me.displayName;
  nav.hidden = false;
}

function signOut() {
  player.stop();
  session.clear();
  document.getElementById('account').hidden = true;
  navigate('#/login');
}

/** Goes to a route once: a hash change renders it, the same hash is rendered again here. */
async function navigate(hash) {
  if (location.hash === hash) await route();
  else location.hash = hash;
}

// ---------- sign in / register ----------
function signInScreen() {
  const error = alertBox();
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true, minLength: 10 });
  const displayName = h('input', { type: 'text', name: 'displayName', autocomplete: 'nickname', maxLength: 100 });
  const nameField = field('Your name', displayName);
  nameField.hidden = true;
  let registering = false;
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const toggle = h('button', { type: 'button', class: 'link', onClick: () => {
    registering = !registering;
    nameField.hidden = !registering;
    displayName.required = registering;
    password.autocomplete = registering ? 'new-password' : 'current-password';
    submit.textContent = registering ? 'Create account' : 'Sign in';
    toggle.textContent = registering ? 'I already have an account' : 'Create an account';
    heading.textContent = registering ? 'Create your account' : 'Sign in';
  } }, 'Create an account');
  const heading = h('h1', {}, 'Sign in');
  const form = h('form', { class: 'card narrow', onSubmit: async e => {
    e.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      if (registering) {
        await api('POST', '/api/v1/auth/register', { email: email.value, password: password.value, displayName: displayName.value });
      }
      const token = await api('POST', '/api/v1/auth/login', { email: email.value, password: password.value });
      session.start(token);
      await navigate('#/library');
    } catch (failure) {
      error.textContent = failure.message;
    } finally {
      submit.disabled = false;
    }
  } }, heading, field('E-mail', email), field('Password (10 characters or more)', password), nameField, error, submit, toggle);
  show(form);
}

// ---------- library ----------
async function libraryScreen() {
  const error = alertBox();
  const list = h('ul', { class: 'books', 'aria-label': 'Your books' });
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const continueListening = h('section', { 'aria-label': 'Continue listening', hidden: true });
  let cursor = null;

  const title = h('input', { name: 'title', required: true, maxLength: 300 });
  const author = h('input', { name: 'author', required: true, maxLength: 200 });
  // One key per book being created: a double submit or a retry after a lost answer makes one book.
  let creating = crypto.randomUUID();
  const create = h('form', { class: 'card', 'aria-label': 'New book', onSubmit: async e => {
    e.preventDefault();
    error.textContent = '';
    try {
      const book = await api('POST', '/api/v1/books', { title: title.value, author: author.value }, { idempotencyKey: creating });
      creating = crypto.randomUUID();
      location.hash = `#/books/${book.id}`;
    } catch (failure) {
      error.textContent = failure.message;
    }
  } }, h('h2', {}, 'New book'), h('div', { class: 'row' }, field('Title', title), field('Author', author), h('button', { type: 'submit' }, 'Create')));

  async function loadPage() {
    try {
      const page = await api('GET', `/api/v1/books?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      list.append(...page.items.map(bookItem));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      if (!list.children.length) list.append(h('li', { class: 'empty' }, 'No books yet: create one above.'));
    } catch (failure) {
      error.textContent = failure.message;
    }
  }

  function bookItem(book) {
    const item = h('li', { class: 'book' });
    const view = () => item.replaceChildren(
      coverImage(book, 'small'),
      h('a', { href: `#/books/${book.id}` }, h('strong', {}, book.title), ' ', h('span', { class: 'muted' }, `by ${book.author}`)),
      h('span', { class: 'muted' }, `${book.chapterCount} chapter${book.chapterCount === 1 ? '' : 's'} · ${formatTime(book.totalDurationSeconds)}`),
      h('span', { class: 'actions' },
        h('button', { type: 'button', onClick: edit, 'aria-label': `Edit ${book.title}` }, 'Edit'),
        h('button', { type: 'button', class: 'danger', onClick: remove, 'aria-label': `Delete ${book.title}` }, 'Delete')));
    async function remove() {
      if (!confirm(`Delete “${book.title}” with all its chapters and audio?`)) return;
      try {
        await api('DELETE', `/api/v1/books/${book.id}`);
        if (player.book?.id === book.id) player.stop();
        item.remove();
      } catch (failure) { error.textContent = failure.message; }
    }
    function edit() {
      const t = h('input', { value: book.title, required: true, maxLength: 300 });
      const a = h('input', { value: book.author, required: true, maxLength: 200 });
      item.replaceChildren(h('form', { class: 'row', onSubmit: async e => {
        e.preventDefault();
        try {
          book = await api('PATCH', `/api/v1/books/${book.id}`, { title: t.value, author: a.value });
          view();
        } catch (failure) { error.textContent = failure.message; }
      } }, field('Title', t), field('Author', a), h('button', { type: 'submit' }, 'Save'), h('button', { type: 'button', onClick: view }, 'Cancel')));
      t.focus();
    }
    view();
    return item;
  }

  more.addEventListener('click', loadPage);
  show(h('h1', {}, 'Your library'), continueListening, create, error, list, more);
  await loadPage();
  try {
    const recent = await api('GET', '/api/v1/me/progress');
    if (recent.items.length) {
      const latest = recent.items[0];
      const book = await api('GET', `/api/v1/books/${latest.bookId}`);
      continueListening.replaceChildren(h('p', {}, 'Continue listening: ', h('a', { href: `#/books/${book.id}` }, book.title), ` at ${formatTime(latest.positionSeconds)}`));
      continueListening.hidden = false;
    }
  } catch { /* the library is still useful without it */ }
}

// ---------- covers ----------
/** The book's cover as an image, its signed URL fetched after the page shows; nothing when it has none. */
function coverImage(book, size) {
  if (!book.hasCover) return null;
  const image = h('img', { class: `cover ${size}`, alt: `Cover of ${book.title}`, loading: 'lazy', 'data-cover': book.id });
  api('GET', `/api/v1/books/${book.id}/cover`).then(signed => { image.src = signed.url; }).catch(() => image.remove());
  return image;
}

// ---------- a book ----------
// Every chapter of a book, page by page (a page holds hundreds).
async function allChapters(bookId) {
  const chapters = [];
  let cursor = null;
  do {
    const page = await api('GET', `/api/v1/books/${bookId}/chapters?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    chapters.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return chapters;
}

async function bookScreen(bookId) {
  const error = alertBox();
  let book;
  try {
    book = await api('GET', `/api/v1/books/${bookId}`);
  } catch (failure) {
    show(h('p', {}, h('a', { href: '#/library' }, '← Library')), h('p', { class: 'error', role: 'alert' }, failure.message));
    return;
  }
  const summary = h('p', { class: 'muted' });
  const cover = h('div', { class: 'book-cover' });
  const suggestions = h('p', { class: 'suggestions', 'aria-label': 'Suggestions from the files' });
  const list = h('ol', { class: 'chapters', 'aria-label': 'Chapters' });
  const uploads = h('ul', { class: 'uploads', 'aria-label': 'Uploads' });
  let chapters = [];

  async function refresh() {
    try {
      [book, chapters] = await Promise.all([api('GET', `/api/v1/books/${bookId}`), allChapters(bookId)]);
    } catch (failure) {
      error.textContent = failure.message;
      return;
    }
    summary.textContent = `by ${book.author}${book.narrator ? `, read by ${book.narrator}` : ''} · ${book.chapterCount} chapter${book.chapterCount === 1 ? '' : 's'} · ${formatTime(book.totalDurationSeconds)}`;
    list.replaceChildren(...chapters.map((chapter, i) => chapterItem(chapter, i)));
    if (!chapters.length) list.append(h('li', { class: 'empty' }, 'No chapters yet: add .m4a or .mp4 files below.'));
    player.update(book, chapters);
    showCover();
    suggest();
  }

  function showCover() {
    const act = async (work) => { error.textContent = ''; try { await work(); await refresh(); } catch (failure) { error.textContent = failure.message; } };
    const picker = h('input', { type: 'file', accept: 'image/jpeg,image/png', id: 'cover-file', class: 'visually-hidden',
      onChange: e => { const file = e.target.files[0]; e.target.value = ''; if (file) act(() => uploadCover(file)); } });
    cover.replaceChildren(
      coverImage(book, 'large') ?? h('div', { class: 'cover large none' }, 'No cover'),
      h('div', { class: 'actions' },
        h('label', { for: 'cover-file', class: 'button' }, book.hasCover ? 'Replace cover' : 'Set cover'), picker,
        book.hasCover ? h('button', { type: 'button', class: 'danger', onClick: () => act(() => api('DELETE', `/api/v1/books/${bookId}/cover`)) }, 'Remove cover') : null));
  }

  async function uploadCover(file) {
    const ticket = await api('POST', `/api/v1/books/${bookId}/cover`, { contentType: file.type, sizeBytes: file.size });
    await putToStorage(ticket, file, () => {});
    await api('POST', `/api/v1/books/${bookId}/cover/complete`);
  }

  // The title and author the files are tagged with, offered in one click when they differ from the book's.
  function suggest() {
    const tags = chapters.find(c => c.tags && Object.keys(c.tags).length)?.tags ?? {};
    const offers = [
      ['title', tags.album ?? tags.title],
      ['author', tags.artist ?? tags.albumArtist],
    ].filter(([field, value]) => value && value !== book[field]);
    suggestions.replaceChildren(...offers.map(([field, value]) =>
      h('button', { type: 'button', class: 'suggestion', onClick: async () => {
        try {
          await api('PATCH', `/api/v1/books/${bookId}`, { [field]: value });
          await refresh();
          document.querySelector('main h1').textContent = book.title;
        } catch (failure) { error.textContent = failure.message; }
      } }, `Use the tagged ${field}: “${value}”`)));
  }

  // A single-file book's markers: its table of contents, each a place to jump to.
  function markerList(chapter) {
    if (!chapter.markers?.length) return null;
    return h('details', { class: 'markers', open: chapters.length === 1 },
      h('summary', {}, `${chapter.markers.length} marker${chapter.markers.length === 1 ? '' : 's'}`),
      h('ol', { 'aria-label': `Markers of ${chapter.title}` }, ...chapter.markers.map((marker, index) =>
        h('li', { 'data-marker': index },
          h('button', { type: 'button', class: 'link', 'aria-label': `Jump to ${marker.title}`,
            onClick: () => player.jump(book, chapters, chapter.id, marker.startSeconds).catch(failure => { error.textContent = failure.message; }) }, marker.title),
          ' ', h('span', { class: 'muted' }, formatTime(marker.startSeconds))))));
  }


  function chapterItem(chapter, i) {
    const act = async (work) => { error.textContent = ''; try { await work(); await refresh(); } catch (failure) { error.textContent = failure.message; } };
    return h('li', { class: 'chapter', 'data-chapter': chapter.id },
      h('button', { type: 'button', class: 'play', 'aria-label': `Play ${chapter.title}`, onClick: () => act(() => player.open(book, chapters, chapter.id, 0, true)) }, '▶'),
      h('span', { class: 'number' }, chapter.number),
      h('span', { class: 'title' }, chapter.title),
      h('span', { class: 'muted' }, formatTime(chapter.durationSeconds)),
      h('span', { class: 'actions' },
        h('button', { type: 'button', 'aria-label': `Move ${chapter.title} up`, disabled: i === 0, onClick: () => act(() => swap(chapters[i - 1], chapter)) }, '↑'),
        h('button', { type: 'button', 'aria-label': `Move ${chapter.title} down`, disabled: i === chapters.length - 1, onClick: () => act(() => swap(chapter, chapters[i + 1])) }, '↓'),
        h('button', { type: 'button', 'aria-label': `Download ${chapter.title}`, onClick: () => act(async () => {
          // A signed URL whose answer is an attachment with the file's original name: the page stays.
          const signed = await api('GET', `/api/v1/books/${bookId}/chapters/${chapter.id}/download`);
          window.location.assign(signed.url);
        }) }, 'Download'),
        h('button', { type: 'button', 'aria-label': `Rename ${chapter.title}`, onClick: () => {
          const title = prompt('Chapter title', chapter.title);
          if (title && title !== chapter.title) act(() => api('PATCH', `/api/v1/books/${bookId}/chapters/${chapter.id}`, { title }));
        } }, 'Rename'),
        h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${chapter.title}`, onClick: () => {
          if (confirm(`Delete chapter “${chapter.title}” and its audio?`)) act(() => api('DELETE', `/api/v1/books/${bookId}/chapters/${chapter.id}`));
        } }, 'Delete')),
      markerList(chapter));
  }

  // Numbers are unique within a book, so a swap passes through a free number.
  async function swap(a, b) {
    const free = Math.max(...chapters.map(c => c.number)) + 1;
    await api('PATCH', `/api/v1/books/${bookId}/chapters/${a.id}`, { number: free });
    await api('PATCH', `/api/v1/books/${bookId}/chapters/${b.id}`, { number: a.number });
    await api('PATCH', `/api/v1/books/${bookId}/chapters/${a.id}`, { number: b.number });
  }

  async function upload(file) {
    const bar = h('progress', { max: 100, value: 0, 'aria-label': `Upload of ${file.name}` });
    const state = h('span', { class: 'state', role: 'status' }, 'Waiting…');
    const row = h('li', { class: 'upload' }, h('span', { class: 'title' }, file.name), bar, state);
    uploads.append(row);
    try {
      await uploadChapter(bookId, file, {
        progress: fraction => { bar.value = Math.round(fraction * 100); },
        state: text => { state.textContent = text; },
      });
      state.textContent = 'Ready';
      row.classList.add('done');
      await refresh();
    } catch (failure) {
      state.textContent = `Not added: ${failure.message}`;
      row.classList.add('failed');
    }
  }

  const input = h('input', { type: 'file', multiple: true, accept: '.m4a,.mp4,.m4b,audio/mp4,audio/x-m4a,audio/x-m4b,video/mp4', id: 'files',
    onChange: e => { [...e.target.files].forEach(upload); e.target.value = ''; } });
  const drop = h('div', { class: 'drop',
    onDragover: e => { e.preventDefault(); drop.classList.add('over'); },
    onDragleave: () => drop.classList.remove('over'),
    onDrop: e => { e.preventDefault(); drop.classList.remove('over'); [...e.dataTransfer.files].forEach(upload); } },
  h('label', { for: 'files' }, 'Add chapters: choose .m4a or .mp4 files, or drop them here'), input);

  show(h('p', {}, h('a', { href: '#/library' }, '← Library')), h('div', { class: 'book-head' }, cover, h('div', {}, h('h1', {}, book.title), summary, suggestions)), error, list,
    h('section', { class: 'card', 'aria-label': 'Upload chapters' }, drop, uploads));
  await refresh();
  try {
    await player.resume(book, chapters);
  } catch (failure) {
    error.textContent = failure.message;
  }
}

// The marker playing is marked in whichever table of contents is on screen.
document.addEventListener('marker-change', e => {
  for (const item of main.querySelectorAll('[data-marker][aria-current]')) item.removeAttribute('aria-current');
  main.querySelector(`[data-chapter="${e.detail.chapterId}"] [data-marker="${e.detail.index}"]`)?.setAttribute('aria-current', 'true');
});

window.addEventListener('hashchange', route);
window.addEventListener('signed-out', signOut);
document.getElementById('sign-out').addEventListener('click', () => signOutSession().finally(signOut));
route().catch(failure => show(h('p', { class: 'error', role: 'alert' }, failure.message)));

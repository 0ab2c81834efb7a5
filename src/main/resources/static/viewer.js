'use strict';

// The doorcast viewer: the live MJPEG picture in an <img>, the live PCM through the Web Audio API, the
// stats, the doorbell's rings (a banner, a chime, a notification, the recent ones with their clips), rings
// pushed to the phone through the service worker (sw.js), and "Hold to talk" back through its speaker. No
// framework and no build step; docs/viewer.md explains it.

const CAMERA = '/api/v1/stream/camera';
const AUDIO = '/api/v1/stream/audio';
const STATS = '/api/v1/stream/stats';
const SNAPSHOT = '/api/v1/stream/camera/snapshot';
const ACCESS = '/api/v1/stream/access';
const DEVICES = '/api/v1/devices';
const EVENTS = '/api/v1/stream/events';
const RINGS = '/api/v1/stream/rings';
const TALK = '/api/v1/stream/talk';
const PUSH_KEY = '/api/v1/push/key';
const PUSH_SUBSCRIPTIONS = '/api/v1/push/subscriptions';

const SAMPLE_RATE = 16000;
const SYNC_WINDOW_MS = 500;   // the server's doorcast.buffer.sync-window
const TARGET_QUEUE_MS = 128;  // two of the doorbell's 64 ms chunks: the cushion against network jitter
const MAX_QUEUE_MS = 256;     // past this the oldest audio is dropped
const STATS_EVERY_MS = 1000;
const RETRY_MS = 2000;
const RENEW_AT = 0.75;        // of an access link's life, when the page makes the next one
const LIVE_WITHIN_MS = 2000;  // "Last frame: live" once the newest frame is younger than this,
const STALE_AFTER_MS = 3000;  // and an age only once it is older than this

const $ = (id) => document.getElementById(id);
const wallNow = () => performance.timeOrigin + performance.now();

// --- The server's clock -------------------------------------------------------------------------------
// Every stats response carries serverTime. The best estimate of (server - this browser) is taken from the
// recent poll with the shortest round trip, halfway through it, as NTP does.
const clock = {
  samples: [],
  offset: 0,
  add(serverTime, sentAt, receivedAt) {
    this.samples.push({ rtt: receivedAt - sentAt, offset: serverTime - (sentAt + receivedAt) / 2 });
    if (this.samples.length > 10) {
      this.samples.shift();
    }
    this.offset = this.samples.reduce((best, s) => (s.rtt < best.rtt ? s : best)).offset;
  },
  now() {
    return wallNow() + this.offset;
  },
};

// --- Access -------------------------------------------------------------------------------------------
// An open server needs nothing. A server with a viewer token admits the page opened as /?access=<link> (a
// link from POST /api/v1/stream/access, which the page cannot renew) or as /#token=<viewer token> (a
// fragment never reaches the server or its logs; the page sends the token as a bearer header and makes
// its own links for the <img>, which cannot send headers).
const query = new URLSearchParams(location.search);

// The token from '#token=<token>', percent-decoded and nothing more: URLSearchParams decodes a form, turning
// each '+' into a space, and about half of all base64 tokens have a '+'. Once read it leaves the address bar
// and this history entry, so a shared screen or the back button does not show it; the page keeps it in
// memory only (a reload needs the bookmark again).
function takeTokenFromFragment() {
  const parts = location.hash.slice(1).split('&');
  const at = parts.findIndex((part) => part.startsWith('token='));
  if (at < 0) {
    return null;
  }
  const raw = parts[at].slice('token='.length);
  parts.splice(at, 1);
  const rest = parts.join('&');
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  try {
    return decodeURIComponent(raw);
  } catch (e) {
    return raw; // a '%' that is the token's own
  }
}

const access = {
  link: query.get('access'),
  token: takeTokenFromFragment(),
  worked: false, // the server took these credentials at least once
};

// A token pasted into the address bar of the open page changes only the fragment: start again with it.
window.addEventListener('hashchange', () => {
  if (/(^|&)token=/.test(location.hash.slice(1))) {
    location.reload();
  }
});

// What the overlay says when the server refuses: [heading, explanation].
const REFUSALS = {
  needed: ['Access needed', 'This doorbell is private: open the access link you were given.'],
  expired: ['Access link expired', 'This access link has expired: ask for a new one.'],
  'wrong-link': ['Access link not valid',
    'This access link is wrong: check that it was copied whole, or ask for a new one.'],
  'link-refused': ['Access link refused', 'This access link has expired or is wrong: ask for a new one.'],
  'wrong-token': ['Wrong viewer token', 'The viewer token in this address is wrong: check the bookmark.'],
  forbidden: ['No access to this doorbell', 'This access does not open this doorbell.'],
};

// Why a 401 or 403 answer refused the page. For a link, the problem's detail says whether it expired or is
// not valid; a link that worked and then stops has expired whatever the detail says, since only time
// changes a link.
async function refusal(response) {
  let detail = '';
  try {
    detail = String((await response.json()).detail ?? '');
  } catch (e) {
    // Not a problem document: the status says enough.
  }
  if (response.status === 403) {
    return 'forbidden';
  }
  if (access.token) {
    return 'wrong-token';
  }
  if (!access.link) {
    return 'needed';
  }
  if (access.worked) {
    return 'expired';
  }
  if (/expired/i.test(detail)) {
    return /not valid/i.test(detail) ? 'link-refused' : 'expired';
  }
  return 'wrong-link';
}

// Refused: nothing the page can do will change that (a new link or token comes with a new page), so it
// closes its streams, stops asking and says why.
function deny(reason) {
  if (view.denied) {
    return;
  }
  view.denied = reason;
  closeCamera();
  closeEvents();
  stopTalk();
  if (audio.context) {
    stopAudio();
  }
  render();
}

// --- Device -------------------------------------------------------------------------------------------
// /?device=<id> watches that device; without it, the server's default doorbell. Every request names the
// device, so that a link made for it opens its streams. When the server has more than one device, a picker
// in the header switches between them.
const DEFAULT_DEVICE = 'doorbell'; // the server's default device (DoorcastProperties.DEFAULT_DEVICE)
const device = query.get('device') ?? DEFAULT_DEVICE;

function withDevice(url) {
  return `${url}${url.includes('?') ? '&' : '?'}device=${encodeURIComponent(device)}`;
}

function showName(name) {
  $('device-name').textContent = name;
  document.title = `${name} · doorcast`;
}

async function listDevices() {
  let devices;
  try {
    const response = await api(DEVICES);
    if (!response.ok) {
      return; // the name stays as it is; a link may not open the list
    }
    ({ devices } = await response.json());
  } catch (e) {
    return; // no list, no picker: the page still shows its one device
  }
  keepForWorker(devices);
  const shown = devices.find((d) => d.id === device);
  if (shown) {
    showName(shown.name ?? shown.id);
  }
  if (devices.length < 2) {
    return;
  }
  const picker = $('device-picker');
  for (const d of devices) {
    const option = document.createElement('option');
    const name = d.name ?? d.id;
    option.value = d.id;
    option.textContent = d.online ? name : `${name} (offline)`;
    option.selected = d.id === device;
    picker.append(option);
  }
  picker.hidden = false;
  picker.addEventListener('change', () => {
    const next = new URLSearchParams(location.search);
    next.set('device', picker.value);
    // The token is only in this page's memory: the next page gets it in its fragment and removes it there.
    location.assign(`?${next}${access.token ? `#token=${encodeURIComponent(access.token)}` : ''}`);
  });
}

function withAccess(url, link = access.link) {
  return link ? `${url}${url.includes('?') ? '&' : '?'}access=${encodeURIComponent(link)}` : url;
}

function api(url, init = {}) {
  if (access.token) {
    return fetch(withDevice(url), {
      cache: 'no-store', ...init, headers: { ...init.headers, Authorization: `Bearer ${access.token}` },
    });
  }
  return fetch(withAccess(withDevice(url)), { cache: 'no-store', ...init });
}

// --- Picture ------------------------------------------------------------------------------------------
// The <img> shows the MJPEG stream; the browser decodes it and shows each part as it arrives. A new stream
// (a renewed link, the server back from a restart) loads into a second, hidden <img> that takes the first
// one's place at its first frame, so the picture never blanks; then the old stream is closed. An <img>
// without a picture is hidden (viewer.css), so a refused stream never shows a broken-image icon.
const picture = {
  shown: $('camera'),
  pending: null,
  attempt: 0,  // each connect's number: an older one that finishes late is dropped
  retry: 0,
  renewAt: 0,  // when the link made with the token is renewed (Date.now(), which counts sleep too)
};

// With the token, the picture gets a link of its own for this device, since a stream opened with a link
// ends when the link expires: it is renewed at three quarters of its life, and the picture moves to it.
async function makeLink() {
  const response = await api(ACCESS, { method: 'POST' });
  if (response.status === 404) {
    return { link: null, expiresAt: null, lifetime: null }; // an open server: the picture needs no link
  }
  if (response.status === 401 || response.status === 403) {
    deny(await refusal(response));
    return null;
  }
  if (!response.ok) {
    throw new Error(`access answered ${response.status}`);
  }
  const { access: link, expiresAt } = await response.json();
  // Its life on the server's clock: from the stats' clock once known, else from the answer's Date header.
  const date = Date.parse(response.headers.get('Date'));
  const serverNow = clock.samples.length || Number.isNaN(date) ? clock.now() : date + 500;
  return { link, expiresAt, lifetime: expiresAt - serverNow };
}

async function connectCamera() {
  const attempt = ++picture.attempt;
  clearTimeout(picture.retry);
  picture.renewAt = 0;
  let link = access.link;
  let made = null;
  if (access.token) {
    try {
      made = await makeLink();
    } catch (e) {
      // Unreachable for now: tried again below.
    }
    if (attempt !== picture.attempt || view.denied) {
      return;
    }
    if (!made) {
      picture.retry = setTimeout(connectCamera, RETRY_MS);
      return;
    }
    link = made.link;
    if (made.lifetime != null) {
      picture.renewAt = Date.now() + Math.max(1000, made.lifetime * RENEW_AT);
    }
  }
  const img = document.createElement('img');
  img.alt = picture.shown.alt;
  img.className = 'pending';
  if (made?.expiresAt) {
    img.dataset.expiresAt = made.expiresAt;
  }
  img.addEventListener('load', () => {
    if (picture.pending === img) {
      show(img);
    }
  }, { once: true });
  img.addEventListener('error', () => {
    // Refused, unreachable, or the stream broke off: try again, unless a newer connect is under way.
    if (picture.pending === img) {
      picture.pending = null;
      drop(img);
    }
    if (attempt === picture.attempt) {
      picture.retry = setTimeout(connectCamera, RETRY_MS);
    }
  });
  // A fresh URL each time, so that the browser really opens a new stream.
  img.src = withAccess(withDevice(`${CAMERA}?connect=${Date.now()}`), link);
  if (picture.pending) {
    drop(picture.pending);
  }
  picture.pending = img;
  picture.shown.after(img);
}

function show(img) {
  const old = picture.shown;
  picture.shown = img;
  picture.pending = null;
  drop(old);
  img.classList.remove('pending');
  img.id = 'camera';
}

// Removing src ends the <img>'s request, and with it the stream's connection.
function drop(img) {
  img.removeAttribute('src');
  if (img !== picture.shown) {
    img.remove();
  }
}

function closeCamera() {
  picture.attempt++;
  clearTimeout(picture.retry);
  picture.renewAt = 0;
  if (picture.pending) {
    drop(picture.pending);
    picture.pending = null;
  }
  drop(picture.shown);
}

// Timers, and performance.now(), stand still while a laptop sleeps; Date.now() does not. Checked four times
// a second, a link that came due during sleep is renewed on waking.
function renewWhenDue() {
  if (picture.renewAt && Date.now() >= picture.renewAt) {
    connectCamera();
  }
  if (doorEvents.renewAt && Date.now() >= doorEvents.renewAt) {
    connectEvents();
  }
}

// --- Stats and the online / offline state -------------------------------------------------------------
const view = {
  stats: null,
  problem: undefined, // 'unreachable', or null once the stats answer
  denied: null,       // a key of REFUSALS once the server refused the page
  history: [],
  live: false,        // "Last frame" says "live"
};

async function pollStats() {
  const sentAt = wallNow();
  try {
    const response = await api(STATS);
    if (response.status === 401 || response.status === 403) {
      deny(await refusal(response));
      return;
    }
    if (!response.ok) {
      throw new Error(`stats answered ${response.status}`);
    }
    const body = await response.json();
    const receivedAt = wallNow();
    const stats = body.stats;
    clock.add(stats.serverTime, sentAt, receivedAt);
    access.worked = true;
    setControls(true);
    if (view.problem) {
      connectCamera(); // the picture stream may have ended while the server was away
    }
    view.problem = null;
    view.stats = stats;
    const newest = view.history[view.history.length - 1];
    if (newest && stats.framesReceived < newest.frames) {
      view.history = []; // the server restarted and counts from zero again
    }
    view.history.push({ time: stats.serverTime, frames: stats.framesReceived, lastFrame: stats.lastFrameTime });
    while (view.history.length > 1 && stats.serverTime - view.history[0].time > 3000) {
      view.history.shift();
    }
  } catch (e) {
    view.problem = 'unreachable';
  } finally {
    render();
    if (!view.denied) {
      setTimeout(pollStats, STATS_EVERY_MS);
    }
  }
}

// The frames that arrived between the oldest and the newest sample of the last 3 s, over the time between
// the newest frame of each: the frames' own spacing. Over the samples' spacing instead, the count is off by
// a frame whenever a sample falls just before or after one, and a 5 fps doorbell read 5.5 over 2 s.
function framesPerSecond() {
  const h = view.history;
  if (h.length < 2) {
    return null;
  }
  const first = h[0];
  const last = h[h.length - 1];
  const frames = last.frames - first.frames;
  if (frames === 0) {
    return 0;
  }
  if (first.lastFrame == null || last.lastFrame == null || last.lastFrame <= first.lastFrame) {
    return null;
  }
  return frames * 1000 / (last.lastFrame - first.lastFrame);
}

function age(ms) {
  if (ms < 120000) {
    return `${Math.floor(ms / 1000)} s ago`;
  }
  return `${Math.round(ms / 60000)} min ago`;
}

function render() {
  const status = $('status');
  const overlay = $('offline');
  const stats = view.stats;
  if (view.denied) {
    const [title, detail] = REFUSALS[view.denied];
    showProblem('Access needed', detail, '', title);
    setControls(false);
    $('stats').hidden = true; // numbers the page may not see, rather than a grid of dashes or stale ones
    // Nor controls that cannot work, nor links to streams that would answer 401.
    for (const part of document.querySelectorAll('.controls, .talk, footer')) {
      part.hidden = true;
    }
    return;
  }
  if (view.problem === 'unreachable') {
    showProblem('Server unreachable', 'Trying again every second.', 'The picture comes back by itself.');
    return;
  }
  if (!stats) {
    return;
  }
  const online = stats.streamActive.video;
  status.dataset.state = online ? 'live' : 'offline';
  status.textContent = online ? 'Live' : 'Doorbell offline';
  overlay.hidden = online;
  overlay.querySelector('strong').textContent = 'Doorbell offline';
  $('offline-hint').textContent = 'The picture comes back by itself when the doorbell does.';
  $('offline-detail').textContent = stats.lastFrameTime == null
      ? 'No picture from the doorbell yet.'
      : `Last picture ${age(Math.max(0, clock.now() - stats.lastFrameTime))}.`;

  const fps = framesPerSecond();
  $('fps').textContent = fps == null ? '–' : `${fps.toFixed(1)} fps`;
  $('viewers').textContent = stats.videoClientsConnected;
  $('listeners').textContent = stats.audioClientsConnected;
  const device = $('device');
  device.dataset.state = online ? 'online' : 'offline';
  device.textContent = online ? 'online' : 'offline';
  // How the doorbell reaches the server: its link (one WebSocket) with the last ping's round trip, or POSTs.
  const link = stats.link;
  $('uplink').textContent = !online ? '–'
      : !link?.connected ? 'posts'
      : link.roundTripMs == null ? 'link' : `link, ${link.roundTripMs} ms round trip`;
  renderFrameAge();
}

function showProblem(status, detail, hint = '', title = status) {
  const pill = $('status');
  pill.dataset.state = 'unreachable';
  pill.textContent = status;
  const overlay = $('offline');
  overlay.hidden = false;
  overlay.querySelector('strong').textContent = title;
  $('offline-detail').textContent = detail;
  $('offline-hint').textContent = hint;
}

function setControls(enabled) {
  $('audio-toggle').disabled = !enabled;
  $('snapshot').disabled = !enabled;
  $('talk').disabled = !enabled || !talkPossible();
}

// Frames come every 200 ms (every few seconds from a slow doorbell), the stats once a second, so the age
// seen here saw-tooths between 0 and a second or two while frames flow. It reads "live" until it passes
// 3 s, then whole seconds, and "live" again only once under 2 s: no flicker between the two.
function renderFrameAge() {
  const stats = view.stats;
  if (stats && stats.lastFrameTime != null && !view.denied) {
    const ms = Math.max(0, clock.now() - stats.lastFrameTime);
    view.live = ms < (view.live ? STALE_AFTER_MS : LIVE_WITHIN_MS);
    const cell = $('frame-age');
    cell.dataset.ms = Math.round(ms);
    cell.dataset.lastFrame = stats.lastFrameTime;
    cell.dataset.state = view.live ? 'online' : '';
    cell.textContent = view.live ? 'live' : age(ms);
  }
}

// --- Audio --------------------------------------------------------------------------------------------
const audio = {
  context: null,
  player: null,
  abort: null,
  report: null,
};

async function startAudio() {
  const context = createContext();
  audio.context = context;
  const onReport = (report) => { audio.report = { ...report, at: clock.now() }; renderAudio(); };
  // AudioWorklet exists only in secure contexts (https, localhost); a phone that opens the page by the
  // server's LAN address gets the scheduled-buffer player instead. ?audio=scheduled forces it, for tests.
  const useWorklet = context.audioWorklet && new URLSearchParams(location.search).get('audio') !== 'scheduled';
  const player = useWorklet ? await workletPlayer(context, onReport) : scheduledPlayer(context, onReport);
  if (audio.context !== context) {
    player.stop(); // "Stop audio" was clicked while the worklet module loaded
    return;
  }
  audio.player = player;
  await context.resume();
  // A slow output device (Bluetooth) adds its own delay after ours: shrink the queue to keep the total
  // inside the sync window, leaving 100 ms for the network and the chunk size.
  const outputMs = outputLatencyMs(context);
  player.setMaxMs(Math.max(TARGET_QUEUE_MS, Math.min(MAX_QUEUE_MS, SYNC_WINDOW_MS - 100 - outputMs)));
  listen(player);
}

// Plays in the audio thread (pcm-player.js): no main-thread hiccup can make it stutter.
async function workletPlayer(context, onReport) {
  await context.audioWorklet.addModule('pcm-player.js');
  const node = new AudioWorkletNode(context, 'pcm-player', {
    numberOfInputs: 0,
    outputChannelCount: [1],
    processorOptions: { inputRate: SAMPLE_RATE, targetMs: TARGET_QUEUE_MS, maxMs: MAX_QUEUE_MS },
  });
  node.connect(context.destination);
  node.port.onmessage = (event) => onReport(event.data);
  return {
    kind: 'worklet',
    output: node,
    push: (samples, serverTime) => node.port.postMessage({ samples, serverTime }, [samples.buffer]),
    setMaxMs: (maxMs) => node.port.postMessage({ maxMs }),
    stop: () => node.disconnect(),
  };
}

// Schedules one AudioBuffer per network read back to back on the context's clock, with the same cushion
// and the same bound as the worklet: when more than maxMs is scheduled ahead, what has not started yet is
// cancelled (the oldest audio) and playing restarts from the newest.
function scheduledPlayer(context, onReport) {
  const output = context.createGain();
  output.connect(context.destination);
  let maxMs = MAX_QUEUE_MS;
  let next = 0;
  let underruns = 0;
  let droppedMs = 0;
  let queue = [];
  const timer = setInterval(() => {
    const now = context.currentTime;
    queue = queue.filter((s) => s.end > now);
    const head = queue.find((s) => s.start <= now);
    onReport({
      playing: Boolean(head),
      queuedMs: Math.max(0, next - now) * 1000,
      headTime: head ? head.serverTime : 0,
      underruns,
      droppedMs,
      peak: head ? head.peak : 0,
    });
  }, 100);
  return {
    kind: 'scheduled',
    output,
    push(samples, serverTime) {
      const now = context.currentTime;
      const seconds = samples.length / SAMPLE_RATE;
      if (next < now) {
        if (next > 0) {
          underruns++;
        }
        next = now + TARGET_QUEUE_MS / 1000;
      } else if ((next - now) * 1000 > maxMs) {
        for (const s of queue.filter((q) => q.start > now)) {
          s.source.stop();
          droppedMs += (s.end - s.start) * 1000;
        }
        queue = queue.filter((q) => q.start <= now);
        next = Math.max(now, ...queue.map((q) => q.end));
      }
      const buffer = context.createBuffer(1, samples.length, SAMPLE_RATE);
      buffer.copyToChannel(samples, 0);
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(output);
      source.start(next);
      let peak = 0;
      for (const v of samples) {
        peak = Math.max(peak, Math.abs(v));
      }
      queue.push({ source, start: next, end: next + seconds, serverTime, peak });
      next += seconds;
    },
    setMaxMs(ms) {
      maxMs = ms;
    },
    stop() {
      clearInterval(timer);
    },
  };
}

function createContext() {
  try {
    // Chromium and Firefox run a context at 16 kHz and resample to the device themselves.
    return new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
  } catch (e) {
    // The worklet resamples when the context runs at the device's rate.
    return new AudioContext({ latencyHint: 'interactive' });
  }
}

function outputLatencyMs(context) {
  return ((context.outputLatency || 0) + (context.baseLatency || 0)) * 1000;
}

async function listen(player) {
  while (audio.player === player) {
    const abort = new AbortController();
    audio.abort = abort;
    try {
      const response = await api(AUDIO, { signal: abort.signal });
      if (response.status === 401 || response.status === 403) {
        deny(await refusal(response)); // a link's stream ends when the link expires
        return;
      }
      if (!response.ok) {
        throw new Error(`audio answered ${response.status}`);
      }
      const reader = response.body.getReader();
      let carry = null;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        // The server writes each chunk the moment the doorbell's arrives, so "now" on the server's clock
        // is when these samples reached the server, give or take the one-way network time.
        const serverTime = clock.now();
        let bytes = value;
        if (carry) {
          bytes = new Uint8Array(carry.length + value.length);
          bytes.set(carry);
          bytes.set(value, carry.length);
        }
        const count = bytes.length >> 1;
        carry = bytes.length % 2 ? bytes.slice(count * 2) : null;
        const samples = new Float32Array(count);
        const pcm = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
        for (let i = 0; i < count; i++) {
          samples[i] = pcm.getInt16(i * 2, true) / 32768;
        }
        player.push(samples, serverTime);
      }
    } catch (e) {
      if (abort.signal.aborted) {
        return;
      }
    }
    // The stream ended (server restart, network change): open it again while audio is on.
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function stopAudio() {
  setAudioButton(false);
  audio.player?.stop();
  audio.player = null;
  audio.abort?.abort();
  audio.context?.close();
  audio.context = null;
  audio.report = null;
  renderAudio();
}

function renderAudio() {
  const cell = $('audio-delay');
  const bar = $('level-bar');
  const r = audio.report;
  if (!audio.context) {
    cell.textContent = 'audio off';
    delete cell.dataset.ms;
    bar.style.width = '0';
    bar.dataset.level = '0';
    $('level').hidden = true;
    return;
  }
  if (!r || !r.playing || !r.headTime) {
    cell.textContent = 'buffering…';
    return;
  }
  // What is heard now left the server at headTime; the picture shows the newest frame as it arrives.
  const lag = Math.max(0, Math.round(r.at + outputLatencyMs(audio.context) - r.headTime));
  cell.dataset.ms = lag;
  cell.textContent = `${lag} ms`;
  cell.dataset.player = audio.player ? audio.player.kind : '';
  cell.dataset.state = lag <= SYNC_WINDOW_MS ? 'online' : 'offline';
  cell.title = `queued ${Math.round(r.queuedMs)} ms, dropped ${Math.round(r.droppedMs)} ms, `
      + `ran dry ${r.underruns} times`;
  $('level').hidden = false; // shown from the first sound on, so it never sits there empty
  const level = Math.min(1, r.peak * 2);
  bar.style.width = `${Math.round(level * 100)}%`;
  bar.dataset.level = r.peak.toFixed(3);
}

const audioToggle = $('audio-toggle');

function setAudioButton(on) {
  audioToggle.textContent = on ? 'Stop audio' : 'Start audio';
  audioToggle.setAttribute('aria-pressed', String(on));
}

audioToggle.addEventListener('click', async () => {
  if (audio.context) {
    stopAudio();
    return;
  }
  setAudioButton(true);
  try {
    await startAudio();
  } catch (e) {
    stopAudio();
    $('audio-delay').textContent = 'audio failed';
    console.error('audio', e);
  }
});

// --- Snapshot -----------------------------------------------------------------------------------------
$('snapshot').addEventListener('click', async () => {
  const response = await api(SNAPSHOT);
  if (response.status === 401 || response.status === 403) {
    deny(await refusal(response));
    return;
  }
  if (!response.ok) {
    return;
  }
  const taken = new Date(Number(response.headers.get('X-Timestamp')) || Date.now());
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = `doorbell-${taken.toISOString().replace(/[:.]/g, '-')}.jpg`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
});

// --- Rings: the events stream, the banner, the chime, the notification, the recent rings ---------------
// An EventSource on /api/v1/stream/events tells of each ring as it happens. It cannot send a header, so with
// the token it gets a link of its own, renewed like the picture's: a new stream opens with the new link and
// the old one closes once the new one is open, and a ring that comes on both is shown once. Whenever a
// stream opens, the list of recent rings is fetched again, so that none that came while the page was away
// from the server is missed.
const doorEvents = {
  source: null,
  link: access.link, // the link the open stream uses, which the rings' pictures and clips use too
  attempt: 0,
  retry: 0,
  renewAt: 0,
};

const rings = {
  seen: new Set(),
  shown: null,    // the ring in the banner
  listed: [],
};

async function connectEvents() {
  const attempt = ++doorEvents.attempt;
  clearTimeout(doorEvents.retry);
  doorEvents.renewAt = 0;
  let link = access.link;
  if (access.token) {
    let made = null;
    try {
      made = await makeLink();
    } catch (e) {
      // Unreachable for now: tried again below.
    }
    if (attempt !== doorEvents.attempt || view.denied) {
      return;
    }
    if (!made) {
      doorEvents.retry = setTimeout(connectEvents, RETRY_MS);
      return;
    }
    link = made.link;
    if (made.lifetime != null) {
      doorEvents.renewAt = Date.now() + Math.max(1000, made.lifetime * RENEW_AT);
    }
  }
  const source = new EventSource(withAccess(withDevice(EVENTS), link));
  source.addEventListener('open', () => {
    if (attempt !== doorEvents.attempt) {
      source.close();
      return;
    }
    const old = doorEvents.source;
    doorEvents.source = source;
    doorEvents.link = link;
    if (old && old !== source) {
      old.close();
    }
    loadRings();
  });
  source.addEventListener('ring', (event) => onRing(JSON.parse(event.data), true));
  source.addEventListener('error', () => {
    // EventSource reopens a stream that broke off by itself; once it gives up (a refused or expired link,
    // a server that is gone) this makes a new one.
    if (source.readyState === EventSource.CLOSED && attempt === doorEvents.attempt && !view.denied) {
      doorEvents.retry = setTimeout(connectEvents, RETRY_MS);
    }
  });
}

function closeEvents() {
  doorEvents.attempt++;
  clearTimeout(doorEvents.retry);
  doorEvents.renewAt = 0;
  doorEvents.source?.close();
  doorEvents.source = null;
}

// A ring's picture or clip, with the link the events stream was opened with (none on an open server).
function ringUrl(path) {
  return withAccess(path, doorEvents.link);
}

async function loadRings() {
  try {
    const response = await api(RINGS);
    if (!response.ok) {
      $('rings').hidden = true; // a link for the picture only does not open the rings
      return;
    }
    rings.listed = (await response.json()).rings;
    renderRings();
    showAskedRing();
  } catch (e) {
    // Unreachable for now: the next stream that opens fetches them again.
  }
}

function onRing(ring, live) {
  if (rings.seen.has(ring.ringId)) {
    return;
  }
  rings.seen.add(ring.ringId);
  if (!rings.listed.some((r) => r.ringId === ring.ringId)) {
    rings.listed = [{ ringId: ring.ringId, time: ring.time, snapshot: ring.snapshot, clip: ring.clip },
      ...rings.listed].slice(0, 20);
    renderRings();
  }
  if (live) {
    showBanner(ring);
    chime();
    notify(ring);
  }
}

// Server time to this browser's clock, for showing the time of day a ring came.
function localTime(serverTime) {
  return new Date(serverTime - clock.offset);
}

function timeOfDay(serverTime) {
  return localTime(serverTime).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function showBanner(ring) {
  rings.shown = ring;
  const banner = $('ring-banner');
  const picture = $('ring-picture');
  if (ring.snapshot) {
    picture.src = ringUrl(ring.snapshot);
  } else {
    picture.removeAttribute('src');
  }
  const time = $('ring-time');
  time.dateTime = localTime(ring.time).toISOString();
  time.textContent = `at ${timeOfDay(ring.time)}`;
  banner.dataset.ringId = ring.ringId;
  banner.hidden = false;
  // Restart the pulse for a ring that comes while the banner still shows the last one.
  banner.style.animation = 'none';
  void banner.offsetWidth;
  banner.style.animation = '';
  $('ring-clip').hidden = !ring.clip;
}

$('ring-dismiss').addEventListener('click', () => {
  $('ring-banner').hidden = true;
});

$('ring-clip').addEventListener('click', () => {
  if (rings.shown?.clip) {
    playClip(rings.shown.clip);
  }
});

function renderRings() {
  $('rings').hidden = false;
  $('rings-empty').hidden = rings.listed.length > 0;
  const list = $('ring-list');
  list.replaceChildren(...rings.listed.map((ring) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.ringId = ring.ringId;
    button.title = ring.clip ? 'Play the clip' : 'No picture of this ring';
    button.disabled = !ring.clip;
    if (ring.snapshot) {
      const img = document.createElement('img');
      img.alt = `Who rang at ${timeOfDay(ring.time)}`;
      img.loading = 'lazy';
      img.src = ringUrl(ring.snapshot);
      button.append(img);
    }
    const time = document.createElement('time');
    time.dateTime = localTime(ring.time).toISOString();
    time.textContent = timeOfDay(ring.time);
    button.append(time);
    button.addEventListener('click', () => playClip(ring.clip));
    item.append(button);
    return item;
  }));
}

// A clip is a finite MJPEG stream: an <img> plays it and keeps its last frame.
function playClip(path) {
  const dialog = $('clip-dialog');
  $('clip').src = ringUrl(`${path}&play=${Date.now()}`);
  if (!dialog.open) {
    dialog.showModal();
  }
}

$('clip-dialog').addEventListener('close', () => {
  $('clip').removeAttribute('src'); // ends the clip's stream if it is still playing
});

// The doorbell's own ding-dong, made on the spot. Browsers let a page make sound only after a gesture, so
// the chime's context is unlocked by the first click or tap anywhere on the page; until then a ring shows
// its banner and notification without the chime (nothing is queued to sound later).
let chimeContext = null;

function unlockChime() {
  try {
    chimeContext ??= new AudioContext();
    chimeContext.resume();
  } catch (e) {
    // No Web Audio: rings come without the chime.
  }
}

document.addEventListener('pointerdown', unlockChime, { once: true, capture: true });
document.addEventListener('keydown', unlockChime, { once: true, capture: true });

function chime() {
  const banner = $('ring-banner');
  unlockChime();
  if (!chimeContext || chimeContext.state !== 'running') {
    banner.dataset.chime = 'blocked';
    return;
  }
  const start = chimeContext.currentTime + 0.05;
  [[659.25, 0], [523.25, 0.45]].forEach(([hz, at]) => {
    const tone = chimeContext.createOscillator();
    const gain = chimeContext.createGain();
    tone.frequency.value = hz;
    gain.gain.setValueAtTime(0.0001, start + at);
    gain.gain.exponentialRampToValueAtTime(0.4, start + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + at + 1.2);
    tone.connect(gain).connect(chimeContext.destination);
    tone.start(start + at);
    tone.stop(start + at + 1.25);
  });
  banner.dataset.chime = 'played';
}

// A notification when the page is not being looked at (another tab, a locked phone), once the viewer has
// allowed it; "Notify me" asks, since browsers ask only after a click.
function notify(ring) {
  if (push.id || !('Notification' in window) || Notification.permission !== 'granted' || !document.hidden) {
    return;
  }
  const note = new Notification('Someone is at the door', {
    body: `${$('device-name').textContent}, ${timeOfDay(ring.time)}`,
    icon: ring.snapshot ? ringUrl(ring.snapshot) : undefined,
    tag: `doorcast-ring-${device}`,
    renotify: true,
  });
  note.addEventListener('click', () => {
    window.focus();
    note.close();
  });
}

// Offered where the page cannot offer push (below), whose notifications come with the page closed too.
function offerNotifications() {
  const button = $('notify');
  button.hidden = !$('push').hidden || !('Notification' in window) || Notification.permission !== 'default';
}

$('notify').addEventListener('click', async () => {
  await Notification.requestPermission();
  offerNotifications();
});

offerNotifications();

// --- Rings pushed to the phone ------------------------------------------------------------------------
// Where the browser has push messaging and the server a push key (GET /api/v1/push/key answers), "Notify
// me when someone rings" asks for permission (on the click, never before), subscribes this browser with the
// key, and hands the subscription to the server for this device (POST /api/v1/push/subscriptions, with the
// page's credential). From then on the server's push wakes the service worker (sw.js), which shows the ring
// even when no page is open, as long as the browser runs (on a phone: always; on iOS only for the page added
// to the home screen). The server's id for each device's subscription is kept in localStorage; "Stop
// notifications" deletes it there and, once no device uses the browser's one subscription, ends it.
// Without push (no service worker, no key: 404), the control stays hidden and "Notify me when it rings" is
// offered instead.
const PUSH_KEPT = 'doorcast.push'; // localStorage: { endpoint, ids: { <device>: <subscription id> } }
const PUSH_SUBSCRIBE_WITHIN_MS = 30000; // a browser without a reachable push service never answers

const push = {
  registration: null, // the service worker's registration, a promise
  key: null,          // the server's applicationServerKey, 65 bytes
  id: null,           // this device's subscription on the server, while notifications are on
};

const PUSH_STATES = {
  off: '',
  working: 'One moment…',
  on: 'This browser is told when someone rings, even with the page closed.',
  blocked: 'Notifications are blocked for this page: allow them in the browser\'s site settings, then try again.',
  dismissed: 'Notifications were not allowed: click again to be asked again.',
  refused: 'This access does not allow notifications.',
  'no-service': 'This browser\'s push service could not be reached: try again later.',
  failed: 'Could not turn notifications on: try again later.',
  'stop-failed': 'Could not turn notifications off: try again later.',
};

function setPushState(state) {
  const button = $('push');
  button.textContent = push.id ? 'Stop notifications' : 'Notify me when someone rings';
  button.setAttribute('aria-pressed', String(Boolean(push.id)));
  const cell = $('push-state');
  cell.dataset.state = state;
  cell.textContent = PUSH_STATES[state];
}

function keptPush() {
  try {
    const kept = JSON.parse(localStorage.getItem(PUSH_KEPT));
    return kept?.endpoint && kept.ids ? kept : { endpoint: null, ids: {} };
  } catch (e) {
    return { endpoint: null, ids: {} };
  }
}

function keepPush(kept) {
  try {
    if (Object.keys(kept.ids).length) {
      localStorage.setItem(PUSH_KEPT, JSON.stringify(kept));
    } else {
      localStorage.removeItem(PUSH_KEPT);
    }
  } catch (e) {
    // No storage: this page still knows; a later one offers to subscribe again.
  }
}

// What the service worker cannot ask the server for itself: the devices' names, and whether this server is
// open to anyone (its device list answered a page with no credential), which makes a ring's picture
// fetchable by the notification as it is. Kept in Cache Storage, where the worker reads it.
async function keepForWorker(devices) {
  if (!push.registration || !window.caches) {
    return;
  }
  try {
    const store = await caches.open('doorcast-push');
    const old = await store.match('/push-state.json');
    const state = old ? await old.json() : {};
    const names = { ...state.names };
    for (const d of devices) {
      names[d.id] = d.name ?? d.id;
    }
    await store.put('/push-state.json', new Response(JSON.stringify({
      names, open: !access.token && !access.link,
    }), { headers: { 'Content-Type': 'application/json' } }));
  } catch (e) {
    // The notifications name the device by its id instead.
  }
}

function base64UrlBytes(text) {
  try {
    const base64 = String(text).replace(/-/g, '+').replace(/_/g, '/');
    return Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
  } catch (e) {
    return null;
  }
}

function sameKey(buffer, key) {
  const bytes = buffer ? new Uint8Array(buffer) : new Uint8Array(0);
  return bytes.length === key.length && bytes.every((b, i) => b === key[i]);
}

async function offerPush() {
  if (!push.registration || !('PushManager' in window) || !('Notification' in window)) {
    return;
  }
  let key = null;
  try {
    const response = await api(PUSH_KEY);
    if (!response.ok) {
      return; // no push on this server, or not for this access
    }
    key = base64UrlBytes((await response.json()).publicKey);
  } catch (e) {
    return;
  }
  if (!key || key.length !== 65 || key[0] !== 4) {
    return; // not an uncompressed P-256 point: the browser would refuse it
  }
  push.key = key;
  let subscription = null;
  try {
    subscription = await (await push.registration).pushManager.getSubscription();
  } catch (e) {
    return;
  }
  const kept = keptPush();
  if (!subscription || subscription.endpoint !== kept.endpoint) {
    keepPush({ endpoint: null, ids: {} }); // the browser ended it (or made another): the ids are gone with it
  } else {
    push.id = kept.ids[device] ?? null;
  }
  $('push').hidden = false;
  offerNotifications();
  setPushState(push.id ? 'on' : Notification.permission === 'denied' ? 'blocked' : 'off');
}

function within(promise, ms) {
  return Promise.race([promise, new Promise((resolve, reject) => {
    setTimeout(() => reject(new DOMException(`no answer in ${ms} ms`, 'TimeoutError')), ms);
  })]);
}

async function startPush() {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    setPushState(permission === 'denied' ? 'blocked' : 'dismissed');
    return;
  }
  const registration = await push.registration;
  let subscription;
  let made = false;
  try {
    subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription.options.applicationServerKey, push.key)) {
      await subscription.unsubscribe(); // made with a key the server no longer has: no push would reach it
      keepPush({ endpoint: null, ids: {} });
      subscription = null;
    }
    if (!subscription) {
      subscription = await within(registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: push.key,
      }), PUSH_SUBSCRIBE_WITHIN_MS);
      made = true;
    }
  } catch (e) {
    console.error('push', e);
    setPushState(e.name === 'NotAllowedError' ? 'blocked' : 'no-service');
    return;
  }
  let id = null;
  let status = 0;
  try {
    const response = await api(PUSH_SUBSCRIPTIONS, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(subscription.toJSON()),
    });
    status = response.status;
    if (response.ok) {
      id = (await response.json()).id;
    }
  } catch (e) {
    // Unreachable: said below.
  }
  if (id == null) {
    if (made) {
      subscription.unsubscribe().catch(() => {});
    }
    setPushState(status === 401 || status === 403 ? 'refused' : 'failed');
    return;
  }
  const kept = keptPush();
  keepPush({ endpoint: subscription.endpoint, ids: { ...(kept.endpoint === subscription.endpoint ? kept.ids : {}),
    [device]: String(id) } });
  push.id = String(id);
  setPushState('on');
}

async function stopPush() {
  let status = 0;
  try {
    status = (await api(`${PUSH_SUBSCRIPTIONS}/${encodeURIComponent(push.id)}`, { method: 'DELETE' })).status;
  } catch (e) {
    // Unreachable: said below.
  }
  // 404: the server has it no more (it forgets a subscription the push service calls gone).
  if (!(status >= 200 && status < 300) && status !== 404) {
    setPushState(status === 401 || status === 403 ? 'refused' : 'stop-failed');
    return;
  }
  const kept = keptPush();
  delete kept.ids[device];
  keepPush(kept);
  push.id = null;
  if (!Object.keys(kept.ids).length) {
    try {
      await (await (await push.registration).pushManager.getSubscription())?.unsubscribe();
    } catch (e) {
      // The server no longer sends to it; the browser ends it later.
    }
  }
  setPushState('off');
}

$('push').addEventListener('click', async () => {
  const button = $('push');
  if (button.disabled) {
    return;
  }
  button.disabled = true;
  setPushState('working');
  try {
    await (push.id ? stopPush() : startPush());
  } catch (e) {
    console.error('push', e);
    setPushState(push.id ? 'stop-failed' : 'failed');
  } finally {
    button.disabled = false;
  }
});

// A click on a pushed ring opens the page at it (/?ring=<id>), or tells the open page of it (sw.js).
let ringAsked = Number(query.get('ring')) || null;

function showAskedRing() {
  const ring = rings.listed.find((r) => r.ringId === ringAsked);
  if (ring) {
    ringAsked = null;
    showBanner(ring);
  }
}

function onWorkerMessage(event) {
  const { type, device: ringDevice, ringId } = event.data ?? {};
  if (type !== 'ring') {
    return;
  }
  if (ringDevice && ringDevice !== device) {
    const next = new URLSearchParams(location.search);
    next.set('device', ringDevice);
    next.set('ring', String(ringId));
    location.assign(`?${next}${access.token ? `#token=${encodeURIComponent(access.token)}` : ''}`);
    return;
  }
  ringAsked = Number(ringId) || null;
  showAskedRing();
  if (ringAsked) {
    loadRings(); // a ring newer than the list: it shows once the list has it
  }
}

// The service worker has no fetch handler and caches nothing, so registering it changes no request the
// page makes. Service workers exist only in secure contexts (https, localhost).
if (navigator.serviceWorker) {
  push.registration = navigator.serviceWorker.register('/sw.js', { scope: '/' });
  push.registration.catch((e) => console.error('service worker', e));
  navigator.serviceWorker.addEventListener('message', onWorkerMessage);
  navigator.serviceWorker.startMessages();
}

// --- Talk ---------------------------------------------------------------------------------------------
// Held down, "Hold to talk" takes the microphone, and an AudioWorklet (talk-recorder.js) resamples it to
// the doorbell's 16 kHz 16-bit mono in 64 ms chunks, which are posted in order, one at a time, to
// /api/v1/stream/talk with a random talk id for this press. The line is one talker's at a time: a 409
// says someone else has it, and the page says so and waits out Retry-After before it tries again.
// Browsers offer the microphone and AudioWorklet only in secure contexts (https, localhost).
const talk = {
  active: false,
  press: 0,
  media: null,
  context: null,
  id: null,
  sequence: 0,
  queued: 0,
  chain: Promise.resolve(),
  busyUntil: 0,
};

const TALK_STATES = {
  idle: '',
  starting: 'Opening the microphone…',
  talking: 'Talking: the doorbell hears you',
  unheard: 'Talking: nobody is listening at the door',
  busy: 'Someone else is talking',
  blocked: 'The microphone is blocked for this page',
  failed: 'Talking failed',
  refused: 'This access does not allow talking',
  insecure: 'Talking needs https',
};

function talkPossible() {
  return Boolean(window.isSecureContext && navigator.mediaDevices?.getUserMedia && window.AudioWorkletNode);
}

function setTalkState(state) {
  const cell = $('talk-state');
  cell.dataset.state = state;
  cell.textContent = TALK_STATES[state];
}

function randomTalkId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function startTalk() {
  if (talk.active || $('talk').disabled) {
    return;
  }
  const press = ++talk.press;
  talk.active = true;
  $('talk').setAttribute('aria-pressed', 'true');
  setTalkState('starting');
  let media = null;
  let context = null;
  try {
    media = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
    context = new AudioContext({ latencyHint: 'interactive' });
    await context.audioWorklet.addModule('talk-recorder.js');
    if (press !== talk.press || !talk.active) {
      throw new DOMException('released while the microphone opened', 'AbortError');
    }
    const recorder = new AudioWorkletNode(context, 'talk-recorder', {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      processorOptions: { outputRate: SAMPLE_RATE, chunkSamples: 1024 },
    });
    const id = randomTalkId();
    recorder.port.onmessage = (event) => sendVoice(event.data, id);
    context.createMediaStreamSource(media).connect(recorder);
    Object.assign(talk, { media, context, id, sequence: 0 });
    await context.resume();
    if (press === talk.press) {
      setTalkState(Date.now() < talk.busyUntil ? 'busy' : 'talking');
    }
  } catch (e) {
    media?.getTracks().forEach((track) => track.stop());
    context?.close();
    if (e.name === 'AbortError') {
      return;
    }
    stopTalk();
    setTalkState(e.name === 'NotAllowedError' ? 'blocked' : 'failed');
    console.error('talk', e);
  }
}

function stopTalk() {
  talk.active = false;
  talk.press++;
  talk.id = null;
  talk.media?.getTracks().forEach((track) => track.stop());
  talk.media = null;
  talk.context?.close();
  talk.context = null;
  $('talk').setAttribute('aria-pressed', 'false');
  if ($('talk-state').dataset.state !== 'busy') {
    setTalkState('idle');
  }
}

function sendVoice(bytes, id) {
  if (id !== talk.id || Date.now() < talk.busyUntil) {
    return; // released, or someone else has the line: what is said meanwhile is not kept
  }
  if (talk.queued >= 8) {
    return; // half a second not yet sent: the network is slower than speech, drop rather than lag
  }
  const sequence = talk.sequence++;
  talk.queued++;
  talk.chain = talk.chain.then(async () => {
    const response = await api(TALK, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'X-Talk-Id': id, 'X-Sequence': String(sequence) },
      body: bytes,
    });
    if (response.status === 409) {
      const wait = Number(response.headers.get('Retry-After')) || 1;
      talk.busyUntil = Date.now() + wait * 1000;
      setTalkState('busy');
      setTimeout(() => {
        if ($('talk-state').dataset.state === 'busy' && Date.now() >= talk.busyUntil) {
          setTalkState(talk.active ? 'talking' : 'idle');
        }
      }, wait * 1000 + 50);
    } else if (response.status === 401 || response.status === 403) {
      setTalkState('refused');
    } else if (response.ok && talk.active && id === talk.id) {
      // speakers: how many of the doorbell's speaker streams are connected (0: its link or speaker is down).
      const answer = await response.json().catch(() => null);
      if (talk.active && id === talk.id) {
        setTalkState(answer?.speakers === 0 ? 'unheard' : 'talking');
      }
    }
  }).catch(() => {
    setTalkState('failed');
  }).finally(() => {
    talk.queued--;
  });
}

const talkButton = $('talk');
talkButton.addEventListener('pointerdown', (event) => {
  talkButton.setPointerCapture(event.pointerId);
  startTalk();
});
for (const end of ['pointerup', 'pointercancel', 'lostpointercapture']) {
  talkButton.addEventListener(end, () => stopTalk());
}
talkButton.addEventListener('keydown', (event) => {
  if ((event.key === ' ' || event.key === 'Enter') && !event.repeat) {
    event.preventDefault();
    startTalk();
  }
});
talkButton.addEventListener('keyup', (event) => {
  if (event.key === ' ' || event.key === 'Enter') {
    stopTalk();
  }
});
talkButton.addEventListener('contextmenu', (event) => event.preventDefault());
if (!talkPossible()) {
  setTalkState('insecure');
}

if (device !== DEFAULT_DEVICE) {
  showName(device); // until the device list says what it is called
}
connectCamera();
connectEvents();
pollStats();
listDevices();
offerPush();
setInterval(() => {
  renderFrameAge();
  renewWhenDue();
}, 250);

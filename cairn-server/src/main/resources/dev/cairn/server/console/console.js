// Cairn console: keeps an open page current from the live tail (Server-Sent Events) without reloading it.
// A page marked data-live="page" fetches itself again shortly after any event and swaps in the fresh <main>;
// the events page (data-live="tail") appends each event as a row. Same origin only; the browser sends the
// console's cookie with both the tail and the fetches.
(function () {
  'use strict';
  var live = document.body.getAttribute('data-live');
  var state = document.getElementById('live-state');
  function say(text) { if (state) { state.textContent = text; } }
  if (live !== 'page' && live !== 'tail') { return; }

  // A tail that starts where the page's snapshot was read (data-after), so nothing committed in between is missed.
  // The browser reconnects by itself with Last-Event-ID after a dropped connection; an answer it cannot use (a 503
  // when the server has too many tails, a 401) closes the EventSource for good, so open a new one, backing off, after
  // the last event received.
  function tail(after, handlers) {
    var last = after || '', delay = 1000, source = null;
    function open() {
      source = new EventSource('/v1/events/stream' + (last ? '?after=' + encodeURIComponent(last) : ''));
      source.onopen = function () { delay = 1000; handlers.open(last); };
      source.onmessage = function (message) {
        if (message.lastEventId) { last = message.lastEventId; }
        handlers.message(message);
      };
      source.onerror = function () {
        handlers.error();
        if (source.readyState === EventSource.CLOSED) {
          setTimeout(open, delay);
          delay = Math.min(delay * 2, 30000);
        }
      };
    }
    open();
  }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value == null ? '' : String(value);
    if (cls) { el.className = cls; }
    return el;
  }

  if (live === 'page') {
    var timer = null, busy = false, again = false;
    var refresh = function () {
      if (busy) { again = true; return; }
      busy = true;
      fetch(location.href, { cache: 'no-store', credentials: 'same-origin', headers: { Accept: 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html == null) { return; }
          var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('main');
          var main = document.getElementById('main');
          if (fresh && main) {
            var scrolls = Array.prototype.map.call(main.querySelectorAll('.scroll'), function (s) { return s.scrollLeft; });
            main.replaceWith(fresh);
            Array.prototype.forEach.call(fresh.querySelectorAll('.scroll'), function (s, i) { s.scrollLeft = scrolls[i] || 0; });
            document.body.setAttribute('data-refreshed', String(Date.now()));
            say('live · updated ' + new Date().toLocaleTimeString());
          }
        })
        .catch(function () { say('live · update failed, will retry'); })
        .then(function () { busy = false; if (again) { again = false; refresh(); } });
    };
    tail(document.body.getAttribute('data-after'), {
      open: function () { say('live'); },
      error: function () { say('live · reconnecting'); },
      // At most one refresh per 150 ms however fast events come (a debounce would starve under a steady stream).
      message: function () {
        if (timer === null) { timer = setTimeout(function () { timer = null; refresh(); }, 150); }
      }
    });
    return;
  }

  var status = document.getElementById('tail-state');
  var body = document.querySelector('#events tbody');
  var after = (status && status.getAttribute('data-after')) || document.body.getAttribute('data-after');
  var count = 0;
  tail(after, {
    open: function (from) { status.textContent = 'listening after position ' + (from || 'the start'); say('live'); },
    error: function () { status.textContent = 'reconnecting…'; say('live · reconnecting'); },
    message: function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      var row = document.createElement('tr');
      row.appendChild(text('td', event.position || message.lastEventId));
      var stream = text('td', event.streamId);
      stream.appendChild(document.createTextNode(' '));
      stream.appendChild(text('span', 'v' + event.streamVersion, 'sub'));
      row.appendChild(stream);
      row.appendChild(text('td', event.type));
      row.appendChild(text('td', event.recordedAt));
      var payload = document.createElement('td');
      var raw = typeof event.payload === 'string' ? event.payload : JSON.stringify(event.payload);
      payload.appendChild(text('code', raw && raw.length > 160 ? raw.slice(0, 159) + '…' : raw));
      row.appendChild(payload);
      body.appendChild(row);
      count++;
      while (body.rows.length > 500) { body.deleteRow(0); }
      status.textContent = count + ' new events';
    }
  });
}());

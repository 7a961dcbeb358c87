// Development only (never sent in production): reloads the page when the
// server says that something it shows has changed: a post, the settings, a
// view, the stylesheet. The server sends its current version when a
// connection opens and a `change` event on every change. A version that
// differs from the first one seen means a change was missed while the tab
// was hidden or the server restarted: reload then too.
//
// Only a visible tab keeps a connection open: browsers allow about six
// connections per host, and a connection held by each background tab would
// soon leave none for loading pages.
(() => {
  const endpoint = document.currentScript?.dataset.endpoint ?? '/_lede/live-reload';
  let seen = null;
  let source = null;

  const connect = () => {
    if (source || document.visibilityState === 'hidden') return;
    source = new EventSource(endpoint);
    source.addEventListener('version', (event) => {
      if (seen === null) seen = event.data;
      else if (event.data !== seen) location.reload();
    });
    source.addEventListener('change', () => location.reload());
    // A refusal (503: the server's limit of open pages) closes the stream for good; the
    // browser reconnects by itself only after a stream that ended. Try again later.
    source.addEventListener('error', () => {
      if (source?.readyState !== EventSource.CLOSED) return;
      disconnect();
      setTimeout(connect, 10_000);
    });
  };

  const disconnect = () => {
    source?.close();
    source = null;
  };

  document.addEventListener('visibilitychange', () => (document.visibilityState === 'hidden' ? disconnect() : connect()));
  window.addEventListener('pagehide', disconnect);
  connect();
})();

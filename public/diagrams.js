/*
 * Draws each ```mermaid fence (rendered on the server as
 * `<pre><code class="language-mermaid">`) as a diagram. Loaded only on pages
 * that have a diagram; mermaid's own script (3.5 MB, named in this script's
 * `data-mermaid`) is loaded only once a diagram comes near the viewport, so a
 * reader who never scrolls to one never pays for it. Without JavaScript the
 * source stays a code block; a diagram that does not parse keeps its source
 * and says why.
 */
(() => {
  const source = document.currentScript && document.currentScript.dataset.mermaid;
  const blocks = [...document.querySelectorAll('pre > code.language-mermaid')];
  if (!source || !blocks.length) return;

  let loading;
  /** mermaid, loaded once (same origin: the page's `script-src 'self'` allows it). */
  const loadMermaid = () =>
    (loading ??= new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = source;
      script.onload = () => (window.mermaid ? resolve(window.mermaid) : reject(new Error('mermaid did not load')));
      script.onerror = () => reject(new Error('mermaid could not be loaded'));
      document.head.append(script);
    }).then(async (mermaid) => {
      // Labels are measured as they are drawn: in the page's own face, once it has arrived.
      await document.fonts.ready;
      // 'strict': labels are text, never HTML, and clicks run no script.
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'base', themeVariables: themeVariables() });
      return mermaid;
    }));

  /**
   * mermaid's colours from the page's: the `--diagram-*` custom properties of
   * the stylesheet (public/style.css), which the site's accent sets in each
   * scheme (src/render/palette.ts), so a diagram wears the brand and its text
   * stays readable in light and dark. mermaid's `base` theme is the one that
   * takes variables; the others are fixed palettes.
   */
  function themeVariables() {
    const css = getComputedStyle(document.documentElement);
    const v = (name) => css.getPropertyValue(`--${name}`).trim();
    const node = v('diagram-node');
    const text = v('diagram-text');
    return {
      darkMode: window.matchMedia('(prefers-color-scheme: dark)').matches,
      background: v('bg'),
      fontFamily: v('sans'),
      fontSize: '15px',
      primaryColor: node,
      primaryTextColor: text,
      primaryBorderColor: v('diagram-border'),
      secondaryColor: node,
      secondaryTextColor: text,
      secondaryBorderColor: v('diagram-border'),
      tertiaryColor: v('surface'),
      tertiaryTextColor: text,
      tertiaryBorderColor: v('diagram-line'),
      lineColor: v('diagram-line'),
      textColor: text,
      edgeLabelBackground: v('diagram-label-bg'),
      clusterBkg: v('surface'),
      clusterBorder: v('diagram-line'),
      noteBkgColor: v('surface'),
      noteTextColor: text,
      noteBorderColor: v('diagram-line'),
    };
  }

  let n = 0;
  // One at a time: mermaid measures text in a scratch element it shares between renders.
  let queue = Promise.resolve();
  const draw = (code) => {
    queue = queue.then(async () => {
      const pre = code.parentElement;
      const id = `diagram-${++n}`;
      try {
        const mermaid = await loadMermaid();
        await mermaid.parse(code.textContent);
        const { svg } = await mermaid.render(id, code.textContent);
        const figure = document.createElement('figure');
        figure.className = 'diagram';
        figure.innerHTML = svg;
        pre.replaceWith(figure);
      } catch (err) {
        // mermaid may leave its scratch element (an error picture) behind.
        document.getElementById(`d${id}`)?.remove();
        const message = document.createElement('p');
        message.className = 'diagram-error';
        message.setAttribute('role', 'note');
        // mermaid's message is "Parse error on line 4:", the line, a caret, then what it expected: keep the first and the last.
        const lines = String((err && err.message) || err).split('\n').filter((line) => line.trim());
        message.textContent = `This diagram could not be drawn: ${lines.length > 1 ? `${lines[0]} ${lines.at(-1)}` : lines[0] ?? 'unknown error'}`;
        pre.classList.add('diagram-source');
        pre.after(message);
      }
    });
  };

  if (!('IntersectionObserver' in window)) {
    blocks.forEach(draw);
    return;
  }
  // A screen ahead, so the diagram is usually drawn by the time it scrolls in.
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        draw(entry.target.querySelector('code'));
      }
    },
    { rootMargin: '100% 0px' },
  );
  for (const code of blocks) observer.observe(code.parentElement);
})();

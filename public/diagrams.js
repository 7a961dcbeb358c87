/*
 * Draws each ```mermaid fence (rendered on the server as
 * `<pre><code class="language-mermaid">`) as a diagram, with mermaid's
 * script, which the page loads before this one (both deferred). Loaded only
 * on pages that have a diagram. Without JavaScript the source stays a code
 * block; a diagram that does not parse keeps its source and says why.
 */
(async () => {
  const mermaid = window.mermaid;
  const blocks = [...document.querySelectorAll('pre > code.language-mermaid')];
  if (!mermaid || !blocks.length) return;
  const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
  // 'strict': labels are text, never HTML, and clicks run no script.
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default' });
  let n = 0;
  // One at a time: mermaid measures text in a scratch element it shares between renders.
  for (const code of blocks) {
    const pre = code.parentElement;
    const id = `diagram-${++n}`;
    try {
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
  }
})();

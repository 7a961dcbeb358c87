import { describe, expect, it } from '@jest/globals';
import { translateMarkup } from '../../src/content/foreign-markup.js';
import { parseName } from '../../src/content/slug.js';
import { plainText } from '../../src/content/text.js';
import { render } from '../../src/render/markdown.js';

const options = { postPath: (name: string) => `/posts/${parseName(name).slug}` };
const translate = (body: string) => translateMarkup(body, options);

describe('translateMarkup()', () => {
  it('should return a body with no foreign syntax as it is', () => {
    const body = 'Plain *markdown* with `code` and <b>html</b>.\n';
    expect(translate(body)).toEqual({ markdown: body, notices: [] });
  });

  it('should turn {% highlight %} into a fenced code block, its lines untouched', () => {
    const { markdown, notices } = translate('Install:\n\n{% highlight shell linenos %}\n$ gem install {{ x }}\n{% endhighlight %}\n\nDone.');
    expect(markdown).toContain('```shell\n$ gem install {{ x }}\n```');
    expect(notices).toEqual([]);
  });

  it('should read Hexo codeblocks and Hugo highlight shortcodes as code too', () => {
    expect(translate('{% codeblock app.js lang:js %}\nlet a;\n{% endcodeblock %}').markdown).toBe('```js\nlet a;\n```');
    expect(translate('{{< highlight go "linenos=table" >}}\nfunc f() {}\n{{< /highlight >}}').markdown).toBe('```go\nfunc f() {}\n```');
  });

  it('should resolve {% link %}, {% post_url %}, {% post_link %} and {{< ref >}} to post addresses', () => {
    const { markdown, notices } = translate(
      'See [the release]({% link _posts/2017-01-18-jekyll-3-4-0-released.markdown %}), [one]({% post_url 2013-05-06-jekyll-1-0-0-released %}), {% post_link hello-world "Hello there" %} and [two]({{< ref "other-post.md" >}}).',
    );
    expect(markdown).toBe(
      'See [the release](/posts/jekyll-3-4-0-released), [one](/posts/jekyll-1-0-0-released), [Hello there](/posts/hello-world) and [two](/posts/other-post).',
    );
    expect(notices).toEqual([]);
  });

  it("should read Jekyll's site addresses as paths on this site", () => {
    const { markdown, notices } = translate('![logo]({{ site.baseurl }}/img/logo.png) [docs]({{ "/docs/themes/" | relative_url }}) {{site.url}}/x');
    expect(markdown).toBe('![logo](/img/logo.png) [docs](/docs/themes/) /x');
    expect(notices).toEqual([]);
  });

  it('should drop {% raw %} markers everywhere and keep their content as written', () => {
    const { markdown, notices } = translate('Use `{% raw %}{{ site.baseurl }}{% endraw %}` and {% raw %}{% include x %}{% endraw %} here.');
    expect(markdown).toBe('Use `{{ site.baseurl }}` and {% include x %} here.');
    expect(notices).toEqual([]);
  });

  it('should leave tags inside code alone', () => {
    const body = 'Write `{% include foot.html %}` or:\n\n```liquid\n{% for post in site.posts %}{{ post.title }}{% endfor %}\n```\n';
    expect(translate(body)).toEqual({ markdown: body, notices: [] });
  });

  it('should show unknown tags and shortcodes as code text and name each kind once, with its line', () => {
    const { markdown, notices } = translate(
      'One {% include note.html %}\n\nTwo {{< tweet user="a" id="1" >}} and {{< tweet user="b" id="2" >}}\n\nThree {{ page.title }}',
    );
    expect(markdown).toContain('<code class="leftover">{% include note&#46;html %}</code>');
    expect(markdown).toContain('<code class="leftover">{{&lt; tweet user="a" id="1" &gt;}}</code>');
    expect(notices.map((n) => [n.line, n.message.split(' is ')[0]])).toEqual([
      [1, 'Liquid tag {% include %}'],
      [3, 'Hugo shortcode {{< tweet >}}'],
      [5, 'template output {{ page.title }}'],
    ]);
  });

  it('should never let a leftover become a link or emphasis (the autolinker pulled `">}}` into a link)', () => {
    const html = render(translate('See {{< tweet url="https://twitter.com/x/status/1" >}} and {% include a_b_c.html %}.').markdown).html;
    expect(html).not.toContain('<a');
    expect(html).not.toContain('<em>');
    expect(html).toContain('<code class="leftover">{{&lt; tweet url="https://twitter.com/x/status/1" &gt;}}</code>');
  });

  it('should render figures, videos and gists of Hugo and Hexo asset images', () => {
    expect(translate('{{< figure src="a.png" caption="A cat" >}}').markdown).toBe('![A cat](a.png)');
    expect(translate('{{< youtube dQw4w9WgXcQ >}}').markdown).toBe('[YouTube video dQw4w9WgXcQ](https://www.youtube.com/watch?v=dQw4w9WgXcQ)');
    expect(translate('{% asset_img cat.jpg A cat %}').markdown).toBe('![A cat](cat.jpg)');
  });

  it('should render :::note and {% note %} as callouts with markdown inside', () => {
    const { markdown } = translate(':::tip Good to know\n\nSome *text*.\n\n```js\n:::\n```\n\n:::\n\nAfter.');
    expect(markdown).toContain('<aside class="callout callout-tip" role="note">\n<p class="callout-title">Good to know</p>');
    expect(markdown).toContain('```js\n:::\n```');
    expect(markdown.indexOf('</aside>')).toBeGreaterThan(markdown.indexOf('```js\n:::\n```'));
    expect(translate('{% note warn %}\nCareful.\n{% endnote %}').markdown).toContain('callout-warning');
  });

  it('should drop MDX imports, exports and comments in an .mdx file, and name them and components', () => {
    const { markdown, notices } = translateMarkup(
      'import Video from \'../components/Video\';\nexport const meta = {\n  a: 1,\n};\n\nIntro.\n\n{/* truncate */}\n\n<Video src="a.mp4" />\n\nMore <Callout>inside</Callout>.',
      { ...options, mdx: true },
    );
    expect(markdown).not.toMatch(/import|export|\{\/\*/);
    expect(markdown).toContain('<!-- truncate -->');
    expect(markdown).toContain('Intro.');
    expect(markdown).toContain('<Video src="a.mp4" />');
    expect(notices.map((n) => n.line)).toEqual([1, 10, 12]);
    expect(notices[1]!.message).toMatch(/component <Video>/);
  });

  it('should drop {% comment %} blocks', () => {
    expect(translate('a\n{% comment %}\nhidden\n{% endcomment %}\nb').markdown).toBe('a\nb');
  });

  it('should not take prose for MDX', () => {
    const body = 'export them all\nimport duties are high\n';
    expect(translateMarkup(body, { ...options, mdx: true }).markdown).toBe(body);
  });

  it('should keep import and export lines of a plain markdown file as text (code pasted without a fence)', () => {
    const body = "Setup:\n\nimport numpy as np\nimport React from 'react';\nexport const a = 1;\n";
    expect(translate(body)).toEqual({ markdown: body, notices: [] });
  });
});

describe('hostile bodies (regression: unclosed tags made the scan quadratic)', () => {
  it.each(['{% ', '{{< ', '{/* ', '{% raw %}', '<script>', '{{ ', '<a ', '[', '![a](', '<!--', 'import a '])(
    'should read 1 MB of unclosed %j in linear time',
    (unit) => {
      const body = unit.repeat(Math.ceil(1_000_000 / unit.length));
      expect(typeof translateMarkup(body, options).markdown).toBe('string');
      expect(typeof plainText(body)).toBe('string');
    },
  );
});

describe('hostile block markup (issue 29): every form read in one pass', () => {
  it.each([':::', '::a{', '!!! note ', '??? tip "', '=== "', '{: .a ', '{ a=1 ', '[!NOTE] ', ':a[', '{{% alert %}}', '    '])(
    'should read a 400 KB line and 40,000 lines of %j in linear time',
    (unit) => {
      const line = unit.repeat(Math.ceil(400_000 / unit.length));
      expect(typeof translateMarkup(line, options).markdown).toBe('string');
      expect(typeof translateMarkup(`${unit}x\n`.repeat(40_000), options).markdown).toBe('string');
    },
  );
});

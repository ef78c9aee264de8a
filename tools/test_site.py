#!/usr/bin/env python
"""Test the built docs site (`_docs/`, from `python tools/docs.py build`) in headless Chromium.

    python tools/test_site.py [--site _docs] [--jobs 4]

Serves the site on 127.0.0.1 (a random free port), loads every HTML page in Debian's headless
Chromium (`--dump-dom`, i.e. the DOM after the page's scripts ran) and checks:
  pages     every page loads: non-empty <title> and body text
  links     every internal href/src resolves to a file of the site, and every #anchor to an id
            on the target page
  sidebar   the sidebar lists the course home first, then every lesson page in numeric order
  colab     every lesson page carries an "Open in Colab" link to its notebook on GitHub
  api       the API index page exists and links each name to its page
  screenshot  a PNG of the first lesson's page -> <site>/_screenshots/lesson01.png
One line per check ("PASS name: ..." / "FAIL name: ..."), then a summary line.
Exit codes: 0 all passed, 1 a check failed, 2 no built site, 3 Chromium missing (count as skipped).
"""
import argparse, concurrent.futures as cf, functools, html.parser, http.server, os, re, shutil
import subprocess, sys, tempfile, threading, time
from pathlib import Path
from urllib.parse import urljoin, urlsplit, unquote

ROOT = Path(__file__).resolve().parents[1]
def find_chromium():
    "$CHROMIUM, else Debian's /usr/bin/chromium, else a chromium/chrome on PATH (e.g. GitHub's runners)"
    if os.environ.get('CHROMIUM'): return os.environ['CHROMIUM']
    if Path('/usr/bin/chromium').exists(): return '/usr/bin/chromium'
    for name in ('chromium', 'google-chrome', 'google-chrome-stable', 'chromium-browser'):
        if shutil.which(name): return shutil.which(name)
    return '/usr/bin/chromium'


CHROMIUM = find_chromium()
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--disable-dev-shm-usage', '--hide-scrollbars', '--mute-audio']


class DomInfo(html.parser.HTMLParser):
    "What the checks need from a page's DOM"
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.text_len, self.ids, self.links, self.sidebar = '', 0, set(), [], []
        self._in_title = self._in_body = False
        self._nav_depth = 0  # >0 inside the primary sidebar's <nav class="bd-docs-nav">
        self._stack = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get('id'): self.ids.add(a['id'])
        if tag == 'a' and a.get('name'): self.ids.add(a['name'])
        if tag == 'title': self._in_title = True
        if tag == 'body': self._in_body = True
        for k in ('href', 'src'):
            if a.get(k) is not None and tag not in ('base',): self.links.append((tag, k, a[k]))
        if tag == 'nav':
            cls = a.get('class') or ''
            if self._nav_depth or 'bd-docs-nav' in cls: self._nav_depth += 1
        if self._nav_depth and tag == 'a' and a.get('href') is not None: self.sidebar.append(a['href'])

    def handle_endtag(self, tag):
        if tag == 'title': self._in_title = False
        if tag == 'nav' and self._nav_depth: self._nav_depth -= 1

    def handle_data(self, data):
        if self._in_title: self.title += data
        elif self._in_body: self.text_len += len(data.strip())


def parse_dom(text):
    p = DomInfo(); p.feed(text); p.close(); return p


class Server:
    "The site on 127.0.0.1, a random free port, in a thread"
    def __init__(self, site):
        handler = functools.partial(QuietHandler, directory=str(site))
        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
        self.base = f'http://127.0.0.1:{self.httpd.server_address[1]}/'
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
    def __enter__(self): self.thread.start(); return self
    def __exit__(self, *a): self.httpd.shutdown(); self.httpd.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass


def chromium(args, timeout=90):
    with tempfile.TemporaryDirectory(prefix='nnnotes-chromium-') as prof:
        cmd = [CHROMIUM, *FLAGS, f'--user-data-dir={prof}', *args]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return r


def dump_dom(url):
    try: r = chromium(['--virtual-time-budget=3000', '--dump-dom', url])
    except subprocess.TimeoutExpired: return None, 'timed out'
    if r.returncode: return None, f'chromium exit {r.returncode}: {r.stderr.strip()[-300:]}'
    return r.stdout, ''


def lesson_num(path):
    m = re.match(r'(\d+)', Path(path).name)
    return int(m.group(1)) if m else None


class Results:
    def __init__(self): self.passed, self.failed = 0, 0
    def report(self, name, ok, msg, details=()):
        print(f'{"PASS" if ok else "FAIL"} {name}: {msg}', flush=True)
        for d in list(details)[:20]: print(f'     - {d}')
        if len(details) > 20: print(f'     ... and {len(details)-20} more')
        if ok: self.passed += 1
        else: self.failed += 1


def lessons_dir_rel():
    "The lessons folder relative to the notebooks folder, from settings.ini"
    sys.path.insert(0, str(ROOT))
    from nnnotes.core import course_settings
    settings = course_settings(ROOT)
    return Path(settings['lessons_path']).relative_to(settings['nbs_path']).as_posix()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--site', default=str(ROOT / '_docs'), help='built site folder (default _docs)')
    ap.add_argument('--jobs', type=int, default=4, help='Chromium processes at once')
    a = ap.parse_args(argv)
    site = Path(a.site).resolve()
    t0 = time.time()
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        print(f'SKIP site: {CHROMIUM} not found; install Debian\'s headless browser with '
              '`apt-get install -y chromium` (or set CHROMIUM=/path/to/chromium)')
        return 3
    if not (site / 'index.html').exists():
        print(f'FAIL site: {site}/index.html not found; build it first: python tools/docs.py build')
        return 2
    res = Results()
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob('*.html')
                   if not any(x.startswith(('_', '.')) for x in p.relative_to(site).parts))
    lessons_rel = lessons_dir_rel()
    lessons = sorted((p for p in pages if p.startswith(lessons_rel + '/') and lesson_num(p) is not None),
                     key=lambda p: (lesson_num(p), p))

    with Server(site) as srv:
        # ---- pages: load each in Chromium
        doms, errors = {}, []
        with cf.ThreadPoolExecutor(max(1, a.jobs)) as ex:
            for page, (text, err) in zip(pages, ex.map(lambda p: dump_dom(srv.base + p), pages)):
                if text is None: errors.append(f'{page}: {err}'); continue
                d = parse_dom(text)
                doms[page] = d
                if not d.title.strip(): errors.append(f'{page}: empty <title>')
                elif d.text_len < 20: errors.append(f'{page}: empty body')
        res.report('pages', not errors, f'{len(pages) - len(errors)}/{len(pages)} pages load with a title and body '
                   f'in Chromium ({time.time()-t0:.1f}s)', errors)

        # ---- links: every internal href/src resolves (files, and #anchors to ids)
        bad, n, ids_cache = [], 0, {}
        def ids_of(target):
            if target in doms: return doms[target].ids
            if target not in ids_cache: ids_cache[target] = parse_dom((site / target).read_text(encoding='utf-8', errors='replace')).ids
            return ids_cache[target]
        for page, d in doms.items():
            page_url = srv.base + page
            for tag, attr, link in d.links:
                link = link.strip()
                if not link or link.startswith(('javascript:', 'mailto:', 'data:', 'blob:', 'about:')): continue
                url = urljoin(page_url, link)
                u = urlsplit(url)
                if u.scheme not in ('http', 'https') or f'{u.scheme}://{u.netloc}/' != srv.base: continue  # external
                n += 1
                path = unquote(u.path.lstrip('/'))
                if path == '' or path.endswith('/'): path += 'index.html'
                f = site / path
                if not f.is_file():
                    bad.append(f'{page}: {tag} {attr}="{link}" -> missing {path}'); continue
                if u.fragment and f.suffix == '.html' and unquote(u.fragment) not in ids_of(path):
                    bad.append(f'{page}: {tag} {attr}="{link}" -> no id "{u.fragment}" in {path}')
        res.report('links', not bad, f'{n - len(bad)}/{n} internal links and resources resolve (anchors included)', bad)

        # ---- sidebar: course home first, then the lessons in numeric order
        problems = []
        check_pages = ['index.html'] + lessons[:1] + lessons[-1:]
        for page in dict.fromkeys(check_pages):
            d = doms.get(page)
            if d is None: problems.append(f'{page}: not loaded'); continue
            items = []
            for h in d.sidebar:
                u = urlsplit(urljoin(srv.base + page, h))
                if f'{u.scheme}://{u.netloc}/' == srv.base: items.append(u.path.lstrip('/') or 'index.html')
            if not items or items[0] != 'index.html':
                problems.append(f'{page}: first sidebar entry is {items[:1]}, not the course home index.html')
            side_lessons = [p for p in items if p in lessons]
            if side_lessons != lessons:
                problems.append(f'{page}: sidebar lessons {side_lessons} != expected {lessons}')
        res.report('sidebar', not problems and bool(lessons),
                   f'sidebar lists the course home, then {len(lessons)} lessons in numeric order'
                   + ('' if lessons else ' (no lesson pages found)'), problems)

        # ---- colab: each lesson page carries an Open-in-Colab link to its notebook
        missing = []
        for page in lessons:
            d = doms.get(page)
            hrefs = [l for _, k, l in d.links if k == 'href'] if d else []
            nb = Path(page).with_suffix('.ipynb').as_posix()
            if not any(h.startswith('https://colab.research.google.com/github/') and h.endswith('/' + nb) for h in hrefs):
                missing.append(f'{page}: no link to https://colab.research.google.com/github/.../{nb}')
        res.report('colab', not missing and bool(lessons), f'{len(lessons) - len(missing)}/{len(lessons)} lesson pages '
                   'carry an Open-in-Colab link to their notebook', missing)

        # ---- api: the API index links every name to a page of the site
        api = doms.get('api_index.html')
        if api is None: res.report('api', False, 'api_index.html missing or not loaded')
        else:
            text = (site / 'api_index.html').read_text(encoding='utf-8')
            main_html = text[text.find('<article'):text.rfind('</article>')]
            linked = re.findall(r'<a class="reference internal" href="([^"]+)"><span class="std std-(?:ref|doc)"><code', main_html)
            anchored = [h for h in linked if '#' in h]
            unknown = main_html.count('(unknown)')
            res.report('api', bool(linked) and not unknown,
                       f'API index links {len(linked)} names to their pages ({len(anchored)} to their show_doc)'
                       + (f'; {unknown} names with no page' if unknown else ''))

        # ---- screenshot of the first lesson
        shot = site / '_screenshots' / 'lesson01.png'
        if not lessons: res.report('screenshot', False, 'no lesson page to screenshot')
        else:
            shot.parent.mkdir(parents=True, exist_ok=True)
            if shot.exists(): shot.unlink()
            try:
                r = chromium(['--window-size=1280,2400', '--virtual-time-budget=3000', f'--screenshot={shot}', srv.base + lessons[0]])
                err = '' if r.returncode == 0 else r.stderr.strip()[-300:]
            except subprocess.TimeoutExpired: err = 'timed out'
            ok = shot.exists() and shot.stat().st_size > 10_000
            res.report('screenshot', ok, f'{lessons[0]} -> {shot}' + (f' ({shot.stat().st_size//1024} KiB)' if shot.exists() else f' not written {err}'))

    print(f'site test ({CHROMIUM}): {res.passed} passed, {res.failed} failed in {time.time()-t0:.1f}s')
    return 1 if res.failed else 0


if __name__ == '__main__': sys.exit(main())

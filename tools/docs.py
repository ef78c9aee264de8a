#!/usr/bin/env python
"""Build the nnnotes documentation site offline.

    python tools/docs.py build [--clean] [--no-strict] [-j N]   # _proc/ -> _site_src/ -> _docs/
    python tools/docs.py src   [--clean]                        # stop after writing _site_src/

Quarto (what `nbdev_docs` renders with) cannot be installed here, so the site is rendered by
Sphinx + MyST-NB + sphinx-book-theme from nbdev's processed notebooks (see DESIGN.md, "Docs"):

1. nbdev's notebook processing (`nbdev.serve.proc_nbs`, the work `nbdev_proc_nbs` does) writes
   `_proc/`: `#| hide` removed, `show_doc` added after `#| export` cells and executed, ...
   (The `nbdev_proc_nbs` command itself is not called: without Quarto on PATH it first tries
   to download and install Quarto with sudo, then `pip install -e .`.)
2. A processing step fixes what Sphinx cannot take from `_proc/` and writes `_site_src/`:
   - the raw Quarto YAML front matter cell -> a Markdown H1 + description paragraph; anything
     else that nbdev took out of the notebook's title cell (the "Open in Colab" badge) is put back;
   - kernelspec/language_info -> python, so code cells are highlighted;
   - `#| output: asis` cells (`show_doc`) -> Markdown cells without the `---` rules (docutils
     rejects them inside outputs), each show_doc heading getting a stable label for the API index;
   - Quarto cell options (`#| echo: false`, `output: false`, `include: false`, `code-fold`) ->
     MyST-NB tags, and the `#|` lines removed from the displayed code;
   - nbdev's absolute doc links (`{doc_host}{doc_baseurl}/core.html#pick`) -> internal links;
   - the Colab badge image is served from `_static/` so the page renders offline.
   Then it writes `conf.py`, the toctree (course home, library notebooks, lessons in numeric
   order, API index) and the generated `api_index.md`.
3. `sphinx-build` (warnings are errors unless --no-strict; saved outputs are shown, never
   re-executed) writes `_docs/`.
"""
import argparse, ast, json, os, re, shutil, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = '_site_src'
API_DOC = 'api_index'
COLAB_BADGE = 'https://colab.research.google.com/assets/colab-badge.svg'
DOC_SUFFIXES = {'.ipynb', '.md', '.qmd', '.rst', '.yml', '.yaml', '.css', '.py'}

_re_directive = re.compile(r'^\s*#\|\s*([\w-]+)\s*:?\s*(.*?)\s*$')
_re_default_exp = re.compile(r'^\s*#\|\s*default_exp\s+(\S+)', re.M)
_re_heading = re.compile(r'^(#{1,6})\s+(.+?)\s*#*\s*$', re.M)
_re_source_link = re.compile(r'\[source\]\(([^)\s]+)\)(\{[^}\n]*\})?')
_re_md_link = re.compile(r'\]\((https?://[^)\s]+)\)')
_re_cell_marker = re.compile(r'^# %% (\S+\.ipynb)')


def log(*a): print('[docs]', *a, flush=True)
def src_text(cell): s = cell.get('source', ''); return ''.join(s) if isinstance(s, list) else s
def slug(s): return re.sub(r'[^a-z0-9]+', '-', s.lower()).strip('-')
def md_escape_cell(s): return s.replace('|', r'\|').replace('\n', ' ')


# ---------------------------------------------------------------- settings and discovery
class Project:
    def __init__(self, root):
        os.chdir(root)
        if str(root) not in sys.path: sys.path.insert(0, str(root))  # spawned workers inherit it
        from nbdev.config import get_config
        self.cfg = cfg = get_config()
        self.root = Path(root)
        self.nbs = Path(cfg.nbs_path)
        self.lib = Path(cfg.lib_path)
        self.doc_path = Path(cfg.doc_path)
        self.proc = self.root / '_proc'
        self.src = self.root / SRC
        lp = cfg.get('lessons_path', 'nbs/lessons')
        try: self.lessons_rel = (self.root / lp).resolve().relative_to(self.nbs.resolve()).as_posix()
        except ValueError: raise SystemExit(f'[docs] lessons_path = {lp} (settings.ini) is not inside nbs_path = {cfg.nbs_path}')
        self.doc_url = (cfg.doc_host.rstrip('/') + '/' + cfg.doc_baseurl.strip('/')).rstrip('/') + '/'
        self.git_url = cfg.git_url.rstrip('/')
        self.nbs_rel = self.nbs.resolve().relative_to(self.root.resolve()).as_posix()

    def notebooks(self):
        "Source notebooks (as nbdev sees them), relative to nbs/"
        from nbdev.doclinks import nbglob
        return [Path(p).relative_to(self.nbs) for p in nbglob(self.nbs, func=Path)]

    def kind(self, rel):
        if rel.as_posix() == 'index.ipynb': return 'home'
        if rel.as_posix().startswith(self.lessons_rel.rstrip('/') + '/'): return 'lesson'
        if len(rel.parts) > 1: return 'folder'  # e.g. nbs/exercises/: a sidebar section of its own
        return 'library'


def lesson_key(rel):
    m = re.match(r'(\d+)', rel.name)
    return (int(m.group(1)) if m else 10**9, rel.as_posix())


# ---------------------------------------------------------------- step 1: nbdev processing
from nbdev.processors import FilterDefaults, exec_show_docs, _do_eval, _show_docs
from fastcore.basics import str2bool

_exec_dirs = {'export', 'exports', 'exporti', 'exec_doc'}


class exec_show_docs_only(exec_show_docs):
    """nbdev's `exec_show_docs` without its two surprises for a course: it runs every cell that has an
    import *in full* (a cell with `import keras` and a `model.fit` trains a model during the docs
    build), and it replaces that cell's committed outputs with the new ones. Here show_doc cells run
    as in nbdev, exported cells run with their outputs kept, and any other cell nbdev would run only
    runs its top-level import statements; saved outputs are never replaced."""
    def __call__(self, cell):
        if not self.nb.has_docs_ or not hasattr(self, 'k'): return
        fm = getattr(self.nb, 'frontmatter_', {})
        if str2bool(fm.get('skip_showdoc', False)) or not _do_eval(cell): return
        trees = cell.parsed_()
        if _show_docs(trees): self.k.cell(cell)  # show_doc: its output is the documentation
        elif cell.directives_.keys() & _exec_dirs: self.k.run(cell.source)
        else:
            imps = [ast.unparse(n) for n in trees if isinstance(n, (ast.Import, ast.ImportFrom))]
            if imps: self.k.run('\n'.join(imps))
        if self.k.exc:
            title = fm.get('title', '')
            raise Exception(f"Error{' in notebook: '+title if title else ''} in cell {cell.idx_} :\n{cell.source}") from self.k.exc


class DocsFilter(FilterDefaults):
    "nbdev's default processors, with `exec_show_docs_only` in place of `exec_show_docs`"
    def base_procs(self): return [exec_show_docs_only if p is exec_show_docs else p for p in super().base_procs()]


def run_nbdev_proc(prj, force=False, n_workers=None):
    import nbdev.serve
    from nbdev.serve import proc_nbs
    t = time.time()
    if prj.proc.exists() and prj.proc.stat().st_mtime < Path(__file__).stat().st_mtime: force = True  # processing changed
    if __name__ == '__main__':
        # proc_nbs pickles the filter class for its spawned workers, which import it by module
        # name: make this script importable there as `docs` (tools/ is on their sys.path).
        sys.modules['docs'] = sys.modules['__main__']
        for c in (DocsFilter, exec_show_docs_only): c.__module__ = 'docs'
        if str(Path(__file__).parent) not in sys.path: sys.path.insert(0, str(Path(__file__).parent))
    nbdev.serve.FilterDefaults = DocsFilter  # what proc_nbs hands to its workers
    # nbdev warns about cells mixing imports and code; exec_show_docs_only only runs their imports
    os.environ['PYTHONWARNINGS'] = 'ignore:Found cells containing imports:UserWarning'
    os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')  # no CUDA/oneDNN notices from imports
    kw = {} if n_workers is None else {'n_workers': n_workers}
    proc_nbs(path=str(prj.nbs), force=force, **kw)
    log(f'nbdev processing -> {prj.proc.relative_to(prj.root)}/ in {time.time()-t:.1f}s')


# ---------------------------------------------------------------- step 2: fix processed notebooks
def read_json(p): return json.loads(Path(p).read_text(encoding='utf-8'))


def title_cell_rest(src_nb):
    """What nbdev's FrontmatterProc dropped from the notebook's title cell, beyond title/description
    (e.g. the Colab badge), as Markdown; '' if nothing."""
    from nbdev.frontmatter import _md2dict, _fm2dict
    for c in src_nb.get('cells', []):
        s = src_text(c)
        if c['cell_type'] == 'raw' and _fm2dict(s).get('title'): return ''
        if c['cell_type'] == 'markdown' and _md2dict(s):
            out, h1_done = [], False
            for line in s.splitlines():
                if not h1_done and re.match(r'^#\s+\S', line): h1_done = True; continue
                if re.match(r'^>\s+\S', line) or re.match(r'^-\s+\S.*:.*\S\s*$', line): continue
                out.append(line)
            return '\n'.join(out).strip()
    return ''


def parse_fm(cell):
    import yaml
    s = src_text(cell).strip()
    m = re.match(r'^---\s*\n(.*?)\n---\s*$', s, re.S)
    if not m: return None
    try: d = yaml.safe_load(m.group(1))
    except Exception: return None
    return d if isinstance(d, dict) else None


def cell_directives(source):
    "Split leading `#|` option lines from a code cell: (dict, remaining source)"
    lines, opts, i = source.splitlines(), {}, 0
    while i < len(lines):
        m = _re_directive.match(lines[i])
        if m: opts[m.group(1)] = m.group(2); i += 1
        elif not lines[i].strip() and i == 0: i += 1
        else: break
    return opts, '\n'.join(lines[i:]).strip('\n')


def outputs_as_markdown(outputs):
    parts = []
    for o in outputs:
        d = o.get('data', {})
        if 'text/markdown' in d: parts.append(src_text({'source': d['text/markdown']}))
        elif o.get('output_type') == 'stream' and o.get('name') == 'stdout': parts.append(src_text({'source': o['text']}))
    return '\n\n'.join(p.strip('\n') for p in parts)


def clean_asis_markdown(md, labeler=None):
    "show_doc Markdown -> Markdown a top-level MyST cell accepts; labels the first heading"
    md = '\n'.join(l for l in md.splitlines() if l.strip() not in ('---', '***', '___'))
    md = _re_source_link.sub(lambda m: f'<a class="nnnotes-source" href="{m.group(1)}" target="_blank" '
                             f'rel="noopener">source</a>', md)
    names = []
    if labeler:
        def lab(m):
            if names: return m.group(0)
            names.append(m.group(2).strip('` '))
            return f'({labeler(names[0])})=\n{m.group(0)}'
        md = _re_heading.sub(lab, md, count=1)
    return md.strip('\n'), (names[0] if names else None)


class Page:
    def __init__(self, prj, rel):
        self.rel, self.kind = rel, prj.kind(rel)
        self.docname = rel.with_suffix('').as_posix()
        self.nb = read_json(prj.proc / rel)
        self.src_nb = read_json(prj.nbs / rel)
        self.title = None
        self.shown = {}  # show_doc heading name -> label


def process_page(prj, page):
    nb, cells = page.nb, []
    for c in nb['cells']:
        s = src_text(c)
        if c['cell_type'] == 'markdown' and s.strip() == '<!-- WARNING: THIS FILE WAS AUTOGENERATED! DO NOT EDIT! -->':
            continue
        if c['cell_type'] == 'raw' and not cells and (fm := parse_fm(c)) is not None:
            # Quarto front matter -> H1 + description (+ what nbdev removed from the title cell)
            page.title = str(fm.get('title') or page.rel.stem)
            md = f'# {page.title}'
            if fm.get('description'): md += f'\n\n<p class="nnnotes-description">{fm["description"]}</p>'
            rest = title_cell_rest(page.src_nb)
            if rest: md += '\n\n' + rest
            cells.append(md_cell(md)); continue
        if c['cell_type'] != 'code': cells.append(c); continue
        opts, code = cell_directives(s)
        tags = set(c.get('metadata', {}).get('tags', []))
        if opts.get('include') == 'false': continue
        if opts.get('output') == 'asis':
            is_sd = re.match(r'^show_doc\(', code.strip()) is not None
            md, name = clean_asis_markdown(outputs_as_markdown(c.get('outputs', [])),
                                           (lambda n: page_label(page, n)) if is_sd else None)
            if name and name not in page.shown: page.shown[name] = page_label(page, name)
            if opts.get('echo', 'true') != 'false': cells.append(code_cell(c, code, tags, outputs=[]))
            if md.strip(): cells.append(md_cell(md))
            continue
        drop_log_noise(c)
        if opts.get('echo') == 'false': tags.add('remove-input')
        if opts.get('output') == 'false': tags.add('remove-output')
        if opts.get('code-fold') in ('true', 'True'): tags.add('hide-input')
        cells.append(code_cell(c, code, tags))
    if page.title is None:  # no front matter: keep the first heading as the title
        m = next((m for c in cells if c['cell_type'] == 'markdown' for m in [re.search(r'^#\s+(.+)$', src_text(c), re.M)] if m), None)
        page.title = m.group(1).strip() if m else page.rel.stem
        if not m: cells.insert(0, md_cell(f'# {page.title}'))
    nb['cells'] = cells
    md = nb.setdefault('metadata', {})
    md['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    md['language_info'] = {'name': 'python', 'pygments_lexer': 'ipython3',
                           'codemirror_mode': {'name': 'ipython', 'version': 3}}


_re_tf_noise = re.compile(r'^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR'
                          r'|[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w.]+:\d+\]'
                          r'|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWE] (tensorflow|external)/)')


def drop_log_noise(cell):
    "Drop TensorFlow's C++ log lines (CUDA/oneDNN notices) from stderr outputs, and outputs left empty"
    outs = []
    for o in cell.get('outputs', []):
        if o.get('output_type') == 'stream' and o.get('name') == 'stderr':
            lines = [l for l in src_text({'source': o.get('text', '')}).splitlines(keepends=True) if not _re_tf_noise.match(l)]
            if not ''.join(lines).strip(): continue
            o = {**o, 'text': lines}
        outs.append(o)
    if 'outputs' in cell: cell['outputs'] = outs


def page_label(page, name): return slug(f'api-{page.docname}-{name}')


def md_cell(source): return {'cell_type': 'markdown', 'metadata': {}, 'source': source}


def code_cell(c, code, tags, outputs=None):
    meta = dict(c.get('metadata', {}))
    meta.pop('language', None)
    if tags: meta['tags'] = sorted(tags)
    else: meta.pop('tags', None)
    return {'cell_type': 'code', 'metadata': meta, 'execution_count': c.get('execution_count'),
            'source': code, 'outputs': c.get('outputs', []) if outputs is None else outputs}


# ---------------------------------------------------------------- the API index
def load_modidx(prj):
    p = prj.lib / '_modidx.py'
    if not p.exists(): return {}
    g = {}
    exec(compile(p.read_text(encoding='utf-8'), str(p), 'exec'), g)
    return g.get('d', {}).get('syms', {})


def module_defs(py_path, nbs_dir):
    """{qualname: (one-line docstring, source notebook rel path or None)} from an nbdev-exported
    module, using its `# %% ../nbs/x.ipynb` cell markers to find the defining notebook."""
    text = py_path.read_text(encoding='utf-8')
    lines = text.splitlines()
    markers = []
    for i, l in enumerate(lines, 1):
        m = _re_cell_marker.match(l)
        if m: markers.append((i, m.group(1)))
    def nb_at(lineno):
        cur = None
        for i, p in markers:
            if i <= lineno: cur = p
            else: break
        if cur is None: return None
        try: return (py_path.parent / cur).resolve().relative_to(nbs_dir.resolve())
        except ValueError: return None
    def first_line(node):
        d = ast.get_docstring(node) or ''
        return d.strip().splitlines()[0].strip() if d.strip() else ''
    res = {}
    defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef):
            res[node.name] = (first_line(node), nb_at(node.lineno))
            for sub in node.body:
                if isinstance(sub, defs): res[f'{node.name}.{sub.name}'] = (first_line(sub), nb_at(sub.lineno))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            res.setdefault(node.name, (first_line(node), nb_at(node.lineno)))
            # fastcore @patch: def meth(self:Cls) -> Cls.meth
            if any('patch' in ast.unparse(d) for d in node.decorator_list) and node.args.args:
                ann = node.args.args[0].annotation
                if ann is not None:
                    for cls in re.findall(r'\w+', ast.unparse(ann)): res[f'{cls}.{node.name}'] = (first_line(node), nb_at(node.lineno))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                if isinstance(t, ast.Name): res.setdefault(t.id, ('', nb_at(node.lineno)))
    return res


def api_entries(prj, pages):
    "[(module, qualname, docline, page or None, label or None)] for every name in _modidx's syms"
    syms = load_modidx(prj)
    by_rel = {p.rel: p for p in pages.values()}
    exp2page = {}
    for p in by_rel.values():
        for c in p.src_nb.get('cells', []):
            if c['cell_type'] == 'code' and (m := _re_default_exp.search(src_text(c))):
                exp2page[f'{prj.lib.name}.{m.group(1)}'] = p; break
    entries, defs_cache = [], {}
    for mod, names in sorted(syms.items()):
        for full, info in sorted(names.items(), key=lambda kv: kv[0].lower()):
            qual = full[len(mod) + 1:] if full.startswith(mod + '.') else full
            py = prj.root / info[1] if isinstance(info, (tuple, list)) and len(info) > 1 else None
            if py not in defs_cache: defs_cache[py] = module_defs(py, prj.nbs) if py and py.exists() else {}
            doc, nbrel = defs_cache[py].get(qual, ('', None))
            page = by_rel.get(nbrel) or exp2page.get(mod)
            label = page.shown.get(qual) if page else None
            entries.append((mod, qual, doc, page, label))
    return entries


def api_index_md(prj, pages):
    entries = api_entries(prj, pages)
    out = ['(api-index)=', '# API index', '',
           f'Every name exported to the `{prj.lib.name}` package (from nbdev\'s `{prj.lib.name}/_modidx.py`), '
           'with its module, the first line of its docstring and the page that defines it. '
           'The name links to its documentation on that page.', '']
    if not entries: out.append('*No exported names yet.*')
    def name_link(qual, page, label):
        if label: return f'[`{qual}`](#{label})'
        if page: return f'[`{qual}`]({page.rel.as_posix()})'
        return f'`{qual}`'
    by_mod = {}
    for e in entries: by_mod.setdefault(e[0], []).append(e)
    for mod, es in by_mod.items():
        public = [e for e in es if not any(part.startswith('_') for part in e[1].split('.'))]
        internal = [e for e in es if e not in public]
        out += ['', f'## `{mod}`', '']
        if public:
            out += ['| Name | Description | Defined in |', '| --- | --- | --- |']
            for _, qual, doc, page, label in public:
                where = f'[{md_escape_cell(page.title)}]({page.rel.as_posix()})' if page else '(unknown)'
                out.append(f'| {name_link(qual, page, label)} | {md_escape_cell(doc)} | {where} |')
        if internal:
            out += ['', 'Internal helpers and special methods: ' +
                    ', '.join(name_link(q, p, l) for _, q, _, p, l in internal) + '.']
    return '\n'.join(out) + '\n', entries


# ---------------------------------------------------------------- links
def rewrite_links(prj, pages, syms_url):
    "nbdev's absolute doc links -> internal MyST links (labels, or the page)"
    html2page = {}
    from nbdev.doclinks import _nbpath2html
    for p in pages.values(): html2page[_nbpath2html(p.rel).as_posix()] = p
    def fix(page, text):
        def repl(m):
            url = m.group(1)
            if not url.startswith(prj.doc_url): return m.group(0)
            path = url[len(prj.doc_url):]
            label, tp = syms_url.get(path, (None, None))
            if label: return f'](#{label})'
            tp = tp or html2page.get(path.split('#')[0])
            if tp: return f']({os.path.relpath(tp.rel.as_posix(), os.path.dirname(page.rel.as_posix()) or ".")})'
            return m.group(0)
        return _re_md_link.sub(repl, text)
    for page in pages.values():
        for c in page.nb['cells']:
            if c['cell_type'] == 'markdown':
                s = fix(page, src_text(c))
                badge = os.path.relpath('_static/colab-badge.svg', os.path.dirname(page.rel.as_posix()) or '.')
                c['source'] = s.replace(COLAB_BADGE, badge)


# ---------------------------------------------------------------- Sphinx source tree
def conf_py(prj):
    c = prj.cfg
    org = c.user
    repo_url = prj.git_url or f'https://github.com/{org}/{c.repo}'
    return f'''# Generated by tools/docs.py from settings.ini -- do not edit.
project = {c.title!r}
author = {c.author!r}
copyright = {c.copyright!r}
release = version = {c.version!r}
html_title = {c.title!r}
root_doc = "index"
extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
source_suffix = {{".md": "myst-nb", ".ipynb": "myst-nb"}}

# Notebooks: show the committed outputs, never execute.
nb_execution_mode = "off"
nb_merge_streams = True
nb_output_stderr = "show"
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "html_image", "html_admonition", "smartquotes"]
myst_heading_anchors = 3
# show_doc headings (H3) often follow the page title directly; outputs with only a mime type
# meant for tools (e.g. application/vnd.nnnotes.metrics+json, the headline metrics) are not shown
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type"]

html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
html_css_files = ["nnnotes.css"]
html_baseurl = {prj.doc_url!r}
html_copy_source = True
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {{
    "repository_url": {repo_url!r},
    "repository_branch": {c.branch!r},
    "path_to_docs": {prj.nbs_rel!r},
    "use_repository_button": True,
    "use_source_button": True,
    "use_issues_button": True,
    "use_download_button": True,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "launch_buttons": {{"colab_url": "https://colab.research.google.com", "notebook_interface": "classic"}},
    "navigation_with_keys": False,
    "navbar_persistent": [],
}}
'''


CSS = '''/* Generated by tools/docs.py */
p.nnnotes-description { font-size: 1.15em; color: var(--pst-color-text-muted); }
a.nnnotes-source { float: right; font-size: smaller; }
h3 + .highlight-python, h3 + div.highlight-python { margin-top: .25rem; }
'''

# "Open in Colab" badge, served locally so pages render offline (same look as Colab's badge).
BADGE_SVG = '''<svg xmlns="http://www.w3.org/2000/svg" width="117" height="20" role="img" aria-label="Open in Colab">
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="117" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="24" height="20" fill="#555"/><rect x="24" width="93" height="20" fill="#e37400"/><rect width="117" height="20" fill="url(#s)"/></g>
<g fill="none" stroke-width="2.2"><path d="M9.5 6.2a4.4 4.4 0 1 0 0 7.6" stroke="#f9ab00"/><path d="M14.5 6.2a4.4 4.4 0 1 1 0 7.6" stroke="#f9ab00"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="70" y="15" fill="#010101" fill-opacity=".3">Open in Colab</text><text x="70" y="14">Open in Colab</text></g></svg>
'''


def toctree(caption, docs):
    if not docs: return ''
    return '```{toctree}\n:hidden:\n:caption: ' + caption + '\n\n' + '\n'.join(docs) + '\n```\n'


def write_if_changed(path, data, written):
    path = Path(path)
    written.add(path.resolve())
    b = data.encode('utf-8') if isinstance(data, str) else data
    if path.exists() and path.read_bytes() == b: return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b)


def build_source(prj):
    t = time.time()
    rels = prj.notebooks()
    missing = [r for r in rels if not (prj.proc / r).exists()]
    if missing: raise SystemExit(f'nbdev processing produced no output for: {", ".join(map(str, missing))}')
    pages = {}
    for rel in rels:
        page = Page(prj, rel)
        try: process_page(prj, page)
        except Exception as e: raise SystemExit(f'[docs] cannot process {prj.nbs/rel}: {e!r}')
        pages[page.docname] = page
    home = pages.get('index')
    library = sorted((p for p in pages.values() if p.kind == 'library'), key=lambda p: p.rel.as_posix())
    lessons = sorted((p for p in pages.values() if p.kind == 'lesson'), key=lambda p: lesson_key(p.rel))
    folders = {}
    for p in sorted((p for p in pages.values() if p.kind == 'folder'), key=lambda p: lesson_key(p.rel)):
        folders.setdefault(p.rel.parts[0], []).append(p)

    api_md, entries = api_index_md(prj, pages)
    # nbdev's doc link of each name (e.g. 'core.html#pick', from _modidx) -> (label, page)
    by_name = {(e[0], e[1]): e for e in entries}
    syms_url = {}
    for mod, names in load_modidx(prj).items():
        for full, info in names.items():
            e = by_name.get((mod, full[len(mod) + 1:]))
            if e and e[3] is not None and isinstance(info, (tuple, list)): syms_url[info[0]] = (e[4], e[3])
    rewrite_links(prj, pages, syms_url)

    written = set()
    src = prj.src
    src.mkdir(exist_ok=True)
    trees = (toctree('Library', [p.docname for p in library]) + '\n' +
             toctree('Lessons', [p.docname for p in lessons]) + '\n' +
             ''.join(toctree(f.replace('_', ' ').capitalize(), [p.docname for p in ps]) + '\n' for f, ps in sorted(folders.items())) +
             toctree('Reference', [API_DOC]))
    if home is None:  # no course home notebook yet: a placeholder front page
        c = prj.cfg
        write_if_changed(src / 'index.md', f'# {c.title}\n\n{c.description}\n\n' + trees, written)
    else:
        home.nb['cells'].append(md_cell(trees))
    for page in pages.values():
        if page.nb.get('nbformat_minor', 0) >= 5:  # cell ids are required from nbformat 4.5
            seen = set()
            for i, c in enumerate(page.nb['cells']):
                if not c.get('id') or c['id'] in seen: c['id'] = f'docs-{i}'
                seen.add(c['id'])
        write_if_changed(src / page.rel, json.dumps(page.nb, indent=1, ensure_ascii=False) + '\n', written)
    write_if_changed(src / f'{API_DOC}.md', api_md, written)
    write_if_changed(src / 'conf.py', conf_py(prj), written)
    write_if_changed(src / '_static' / 'nnnotes.css', CSS, written)
    write_if_changed(src / '_static' / 'colab-badge.svg', BADGE_SVG, written)
    # assets next to the notebooks (images, data files they reference)
    for f in prj.proc.rglob('*'):
        if f.is_file() and f.suffix.lower() not in DOC_SUFFIXES and not any(x.startswith(('.', '_')) for x in f.relative_to(prj.proc).parts):
            write_if_changed(src / f.relative_to(prj.proc), f.read_bytes(), written)
    for f in list(src.rglob('*')):  # drop what is no longer generated (removed notebooks)
        if f.is_file() and f.relative_to(src).parts[0] != '_build' and f.resolve() not in written: f.unlink()
    log(f'{len(pages)} notebooks ({len(library)} library, {len(lessons)} lessons, '
        f'{sum(map(len, folders.values()))} in {"/, ".join(sorted(folders)) + "/" if folders else "other folders"}, home: {"yes" if home else "placeholder"}), '
        f'{len(entries)} API names ({sum(1 for e in entries if e[4])} linked to their show_doc) '
        f'-> {src.relative_to(prj.root)}/ in {time.time()-t:.1f}s')
    return pages


def sphinx_build(prj, strict=True, jobs='auto'):
    t = time.time()
    # Build inside _site_src/_build (myst-nb puts its jupyter_execute/ next to the output folder),
    # then copy the HTML to the docs folder.
    build = prj.src / '_build'
    html, out = build / 'html', prj.root / prj.doc_path
    # -E: read every page afresh, so that each page's sidebar lists every lesson (an incremental build
    # would keep the old sidebar on pages that did not change); Sphinx itself takes only seconds here.
    cmd = [sys.executable, '-m', 'sphinx', '-b', 'html', '-q', '-E', '-j', str(jobs), '-d', str(build / 'doctrees'),
           str(prj.src), str(html)]
    if strict: cmd[5:5] = ['-W', '--keep-going']
    r = subprocess.run(cmd, cwd=prj.root)
    if r.returncode: raise SystemExit(f'[docs] sphinx-build failed (exit {r.returncode}); see the messages above'
                                      + ('' if not strict else ' (warnings are errors; --no-strict to allow them)'))
    for f in list(html.rglob('*.html')):  # pages of notebooks that were removed since the last build
        rel = f.relative_to(html)
        if rel.parts[0].startswith('_') or rel.stem in ('genindex', 'search'): continue
        if not any((prj.src / rel.with_suffix(x)).exists() for x in ('.ipynb', '.md')): f.unlink()
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(html, out)
    (out / '.nojekyll').touch()
    log(f'sphinx-build -> {out.relative_to(prj.root)}/ in {time.time()-t:.1f}s')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('cmd', choices=['build', 'src'], help='build: the whole site; src: stop after _site_src/')
    ap.add_argument('--clean', action='store_true', help='start from scratch (remove _proc/, _site_src/, docs output)')
    ap.add_argument('--no-strict', action='store_true', help='do not turn Sphinx warnings into errors')
    ap.add_argument('-j', '--jobs', default='auto', help='sphinx-build parallel jobs (default auto)')
    ap.add_argument('--root', default=str(ROOT), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    t0 = time.time()
    prj = Project(Path(a.root).resolve())
    if a.clean:
        for d in (prj.proc, prj.src, prj.root / prj.doc_path): shutil.rmtree(d, ignore_errors=True)
    run_nbdev_proc(prj, force=a.clean)
    build_source(prj)
    if a.cmd == 'build': sphinx_build(prj, strict=not a.no_strict, jobs=a.jobs)
    log(f'done in {time.time()-t0:.1f}s' + (f': open {prj.doc_path}/index.html' if a.cmd == 'build' else ''))


if __name__ == '__main__': main()

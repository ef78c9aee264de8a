#!/usr/bin/env python
"""Build the course site offline: `python tools/docs.py build` -> `_docs/`.

Quarto, which `nbdev_docs` renders with, cannot be installed here, so the site is rendered by Sphinx +
MyST-NB + sphinx-book-theme (configuration: `tools/site/conf.py`, styles and the Colab badge in
`tools/site/_static/`) from nbdev's processed notebooks, in three steps:

1. nbdev processing -> `_proc/`: `#| hide` removed, `show_doc` added after exported cells and run, ...
2. Fix-up -> `_site_src/`: one short function per thing in `_proc/` that Sphinx cannot take (see
   "Step 2"), plus the generated pages: the toctree and the API index (a lesson -> module table,
   then every exported name grouped by lesson).
3. `sphinx-build -W` -> `_docs/` (saved outputs are shown, never re-executed).

    python tools/docs.py build [--clean] [--no-strict]   # the whole site
    python tools/docs.py src   [--clean]                 # stop after _site_src/
"""
import argparse, ast, importlib, inspect, json, os, re, shutil, subprocess, sys, time, warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from nnnotes.core import course_settings

SETTINGS = course_settings(ROOT)
NBS, LIB = ROOT / SETTINGS['nbs_path'], SETTINGS['lib_name']
LESSONS = (ROOT / SETTINGS['lessons_path']).relative_to(NBS)   # lessons/ ; their checks are in exercises/
EXERCISES = Path('exercises')
PROC, SRC, CONF, OUT = ROOT / '_proc', ROOT / '_site_src', ROOT / 'tools' / 'site', ROOT / SETTINGS['doc_path']
SITE_URL = SETTINGS['site_url'].rstrip('/') + '/'
COLAB_BADGE = 'https://colab.research.google.com/assets/colab-badge.svg'

def log(*args): print('[docs]', *args, flush=True)
def text(source): return ''.join(source) if isinstance(source, list) else source
def md_cell(source): return {'cell_type': 'markdown', 'metadata': {}, 'source': source}
def read_json(path): return json.loads(Path(path).read_text(encoding='utf-8'))


# ------------------------------------------------------------------------------------------------
# nbdev internals, all in this one place. nbdev is pinned (settings.ini, dev_requirements:
# nbdev==2.4.14): the private names below (`_do_eval`, `_show_docs`, `_nbpath2html`) exist in that
# version; check them when the pin moves. `FilterDefaults` is nbdev's documented way to change the
# processors ("Override FilterDefaults to change which notebook processors are used").
from execnb.nbio import read_nb, write_nb
from fastcore.basics import str2bool
from nbdev.doclinks import nbglob, _nbpath2html
from nbdev.processors import FilterDefaults, exec_show_docs, _do_eval, _show_docs

class exec_show_docs_only(exec_show_docs):
    """nbdev's `exec_show_docs` without its two surprises for a course: it runs in full every cell that
    has an import (a cell with `import keras` and `model.fit` would train a model during the build), and
    replaces that cell's committed outputs. Here show_doc cells run, exported cells run with their saved
    outputs kept, and any other cell runs only its import statements."""
    def __call__(self, cell):
        if not self.nb.has_docs_ or not hasattr(self, 'k'): return
        front_matter = getattr(self.nb, 'frontmatter_', {})
        if str2bool(front_matter.get('skip_showdoc', False)) or not _do_eval(cell): return
        trees = cell.parsed_()
        if _show_docs(trees): self.k.cell(cell)
        elif cell.directives_.keys() & {'export', 'exports', 'exporti', 'exec_doc'}: self.k.run(cell.source)
        else:
            imports = [ast.unparse(node) for node in trees if isinstance(node, (ast.Import, ast.ImportFrom))]
            if imports: self.k.run('\n'.join(imports))
        if self.k.exc: raise Exception(f"Error in {front_matter.get('title', 'a notebook')}, cell {cell.idx_}:\n{cell.source}") from self.k.exc

class DocsFilter(FilterDefaults):
    "nbdev's default processors, with `exec_show_docs_only` in place of `exec_show_docs`."
    def base_procs(self): return [exec_show_docs_only if p is exec_show_docs else p for p in super().base_procs()]

def source_notebooks()->list:
    "The notebooks nbdev documents, relative to nbs/."
    return [Path(p).relative_to(NBS) for p in nbglob(NBS, func=Path)]

def nbdev_process(force:bool=False):
    "Step 1: what `nbdev_proc_nbs` does (that command is not called: without Quarto it tries to install it with sudo)."
    start, newest = time.time(), max(Path(__file__).stat().st_mtime, (ROOT / 'settings.ini').stat().st_mtime)
    os.environ['IN_TEST'] = '1'   # as nbdev's own workers: lessons run show_doc cells in quick mode
    warnings.filterwarnings('ignore', 'Found cells containing imports', UserWarning)  # exec_show_docs_only runs only their imports
    for rel in source_notebooks():
        source, target = NBS / rel, PROC / rel
        if not force and target.exists() and target.stat().st_mtime > max(newest, source.stat().st_mtime): continue
        nb = read_nb(source)
        DocsFilter()(nb)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_nb(nb, target)
    del os.environ['IN_TEST']
    log(f'step 1, nbdev processing -> _proc/ in {time.time() - start:.1f} s')


# ------------------------------------------------------------------------------------------------
# Step 2: one function per known problem of nbdev's processed notebooks under Sphinx/MyST-NB
# (seen with nbdev 2.4.14, myst-nb 1.x, Sphinx 7-8).

def drop_autogenerated_notice(page):
    "nbdev's `<!-- WARNING: THIS FILE WAS AUTOGENERATED! -->` cell is about `_proc/`, not the page, and would stand before the title."
    page.nb['cells'] = [c for c in page.nb['cells'] if not (c['cell_type'] == 'markdown' and 'THIS FILE WAS AUTOGENERATED' in text(c['source']))]

def front_matter_to_title(page):
    """The first cell is a raw Quarto YAML front matter, which crashes the build: make it an H1 and a
    description, and put back what nbdev dropped from the title cell (the "Open in Colab" badge)."""
    import yaml
    cells = page.nb['cells']
    match = re.match(r'^---\s*\n(.*?)\n---\s*$', text(cells[0]['source']).strip(), re.S) if cells and cells[0]['cell_type'] == 'raw' else None
    if not match:
        heading = next((m for c in cells if c['cell_type'] == 'markdown' for m in [re.search(r'^#\s+(.+)$', text(c['source']), re.M)] if m), None)
        page.title = heading.group(1).strip() if heading else page.rel.stem
        if not heading: cells.insert(0, md_cell(f'# {page.title}'))
        return
    front = yaml.safe_load(match.group(1)) or {}
    page.title = str(front.get('title') or page.rel.stem)
    title = f'# {page.title}'
    if front.get('description'): title += f'\n\n<p class="nnnotes-description">{front["description"]}</p>'
    source_title = next((text(c['source']) for c in page.source_nb['cells'] if c['cell_type'] == 'markdown'), '')
    rest = [line for line in source_title.splitlines() if not re.match(r'^(#\s|>\s)', line)]
    if '\n'.join(rest).strip(): title += '\n\n' + '\n'.join(rest).strip()
    cells[0] = md_cell(title)

def python_kernelspec(page):
    "The processed notebooks carry no kernelspec language, so code would not be highlighted."
    page.nb.setdefault('metadata', {})['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    page.nb['metadata']['language_info'] = {'name': 'python', 'pygments_lexer': 'ipython3'}

def show_doc_to_markdown(page):
    """`show_doc` cells (`#| output: asis`) hold Markdown output with `---` rules, which docutils rejects
    inside an output: make each a Markdown cell, its heading labelled for the API index's links."""
    cells = []
    for cell in page.nb['cells']:
        options, code = cell_options(cell)
        if cell['cell_type'] != 'code' or options.get('output') != 'asis': cells.append(cell); continue
        md = '\n\n'.join(text(o['data']['text/markdown']).strip('\n') for o in cell.get('outputs', []) if 'text/markdown' in o.get('data', {}))
        md = '\n'.join(line for line in md.splitlines() if line.strip() not in ('---', '***', '___'))
        md = re.sub(r'\[source\]\(([^)\s]+)\)(\{[^}\n]*\})?', r'<a class="nnnotes-source" href="\1" target="_blank" rel="noopener">source</a>', md)
        heading = re.search(r'^#{1,6}\s+(.+?)\s*#*\s*$', md, re.M)
        if heading and code.strip().startswith('show_doc('):
            name = heading.group(1).strip('` ')
            page.labels[name] = label = slug(f'api-{page.docname}-{name}')
            md = md[:heading.start()] + f'({label})=\n' + md[heading.start():]
        if options.get('echo', 'true') != 'false': cells.append({**cell, 'outputs': []})
        if md.strip(): cells.append(md_cell(md.strip('\n')))
    page.nb['cells'] = cells

def quarto_options_to_tags(page):
    "Quarto's cell options (`#| echo: false`, `output: false`, `include: false`, `code-fold`) become MyST-NB tags; the `#|` lines are not shown."
    cells = []
    for cell in page.nb['cells']:
        if cell['cell_type'] != 'code': cells.append(cell); continue
        options, code = cell_options(cell)
        if options.get('include') == 'false': continue
        tags = set(cell.get('metadata', {}).get('tags', []))
        tags |= {tag for option, value, tag in (('echo', 'false', 'remove-input'), ('output', 'false', 'remove-output'),
                                                 ('code-fold', 'true', 'hide-input')) if options.get(option, '').lower() == value}
        metadata = {k: v for k, v in cell.get('metadata', {}).items() if k not in ('language', 'tags')}
        if tags: metadata['tags'] = sorted(tags)
        cells.append({**cell, 'metadata': metadata, 'source': code})
    page.nb['cells'] = cells

TF_NOISE = re.compile(r'^(WARNING: All log messages before absl::InitializeLog\(\) is called|[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w.]+:\d+\]'
                      r'|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWE] (tensorflow|external)/)')

def drop_tensorflow_notices(page):
    "TensorFlow's C++ start-up notices (CUDA, oneDNN) in stderr outputs say nothing to a reader."
    for cell in page.nb['cells']:
        outputs = []
        for output in cell.get('outputs', []):
            if output.get('output_type') == 'stream' and output.get('name') == 'stderr':
                lines = [line for line in text(output['text']).splitlines(keepends=True) if not TF_NOISE.match(line)]
                if not ''.join(lines).strip(): continue
                output = {**output, 'text': lines}
            outputs.append(output)
        if 'outputs' in cell: cell['outputs'] = outputs

def internal_links(page, pages, name_links):
    "nbdev writes links to the published site (`{site_url}core.html#name`): make them links inside this build; serve the Colab badge locally."
    by_html = {_nbpath2html(p.rel).as_posix(): p for p in pages.values()}
    here = os.path.dirname(page.rel.as_posix()) or '.'
    def fix(match):
        path = match.group(1)[len(SITE_URL):]
        if path in name_links: return f'](#{name_links[path]})'
        target = by_html.get(path.split('#')[0])
        return f']({os.path.relpath(target.rel.as_posix(), here)})' if target else match.group(0)
    for cell in page.nb['cells']:
        if cell['cell_type'] == 'markdown':
            source = re.sub(r'\]\((' + re.escape(SITE_URL) + r'[^)\s]*)\)', fix, text(cell['source']))
            cell['source'] = source.replace(COLAB_BADGE, os.path.relpath('_static/colab-badge.svg', here))

def cell_options(cell)->tuple:
    "A code cell's leading `#| name: value` options and the code below them."
    lines, options = text(cell.get('source', '')).splitlines(), {}
    while lines and (m := re.match(r'^\s*#\|\s*([\w-]+)\s*:?\s*(.*?)\s*$', lines[0])): options[m.group(1)] = m.group(2); lines.pop(0)
    return options, '\n'.join(lines).strip('\n')

def slug(s): return re.sub(r'[^a-z0-9]+', '-', s.lower()).strip('-')


# ------------------------------------------------------------------------------------------------
# Pages, the lesson -> module table and the API index

class Page:
    "A notebook of the site: its processed notebook, its source, its title and its show_doc labels."
    def __init__(self, rel):
        self.rel, self.docname = rel, rel.with_suffix('').as_posix()
        self.nb, self.source_nb = read_json(PROC / rel), read_json(NBS / rel)
        self.kind = 'home' if rel == Path('index.ipynb') else 'lesson' if rel.parent == LESSONS else rel.parts[0] if len(rel.parts) > 1 else 'library'
        exports = [m.group(1) for c in self.source_nb['cells'] if c['cell_type'] == 'code'
                   for m in [re.search(r'^\s*#\|\s*default_exp\s+(\S+)', text(c['source']), re.M)] if m]
        self.module = f'{LIB}.{exports[0]}' if exports else None
        self.title, self.labels = None, {}

def number(rel): m = re.match(r'(\d+)', rel.name); return (int(m.group(1)) if m else 10**9, rel.as_posix())

def exported_names(module:str)->list:
    "(name, first docstring line, nbdev's doc link) of every public name nbdev exported to `module`."
    syms = importlib.import_module(f'{LIB}._modidx').d['syms'].get(module, {})
    imported, names = importlib.import_module(module), []
    for full in sorted(syms, key=str.lower):
        name = full[len(module) + 1:]
        if any(part.startswith('_') for part in name.split('.')): continue
        obj = imported
        for part in name.split('.'): obj = getattr(obj, part, None)
        names.append((name, (inspect.getdoc(obj) or '').strip().split('\n')[0] if callable(obj) else '', syms[full][0]))
    return names

def api_index(pages:dict)->tuple:
    "The API index page (Markdown) and {nbdev doc link: label} for the names it documents."
    lessons = sorted((p for p in pages.values() if p.kind == 'lesson'), key=lambda p: number(p.rel))
    checks = {p.rel.name: p for p in pages.values() if p.rel.parent == EXERCISES}
    library = sorted((p for p in pages.values() if p.kind == 'library' and p.module), key=lambda p: p.rel.as_posix())
    link = lambda p: f'[{p.title}]({p.rel.as_posix()})'
    out = ['(api-index)=', '# API index', '',
           f'Every lesson exports its reusable code to a topic module `{LIB}.<topic>` and the self-checks of its exercises to '
           f'`{LIB}.exercises.<topic>`: the lesson notebook `{SETTINGS["lessons_path"]}/NN_name.ipynb` and its checks notebook '
           f'`{SETTINGS["nbs_path"]}/{EXERCISES}/NN_name.ipynb` share a file name.', '',
           '| Lesson | Topic module | Checks module |', '| --- | --- | --- |']
    for lesson in lessons:
        check = checks.get(lesson.rel.name)
        out.append(f"| {link(lesson)} | `{lesson.module or '-'}` | " + (f'`{check.module}` ({link(check)})' if check and check.module else '-') + ' |')
    groups = [(lesson.title, [lesson, checks.get(lesson.rel.name)]) for lesson in lessons]
    groups.append(('Course library', library))
    name_links, count = {}, 0
    for heading, group in groups:
        out += ['', f'## {heading}']
        for page in (p for p in group if p and p.module):
            rows = exported_names(page.module)
            out += ['', f'`{page.module}`, defined in {link(page)}', '']
            out += ['| Name | Description |', '| --- | --- |'] if rows else ['*No exported names.*']
            for name, doc, doc_link in rows:
                label = page.labels.get(name)
                out.append(f"| {f'[`{name}`](#{label})' if label else f'[`{name}`]({page.rel.as_posix()})'} | {doc.replace('|', '/')} |")
                if label: name_links[doc_link] = label
                count += 1
    return '\n'.join(out) + '\n', name_links, count

def toctree(caption:str, pages:list)->str:
    return f'```{{toctree}}\n:hidden:\n:caption: {caption}\n\n' + '\n'.join(p.docname for p in pages) + '\n```\n' if pages else ''

def build_source():
    "Step 2: fix every processed notebook and write the Sphinx source tree `_site_src/`."
    start = time.time()
    shutil.rmtree(SRC, ignore_errors=True)
    pages = {}
    for rel in source_notebooks():
        page = pages[rel.as_posix()] = Page(rel)
        for fix in (drop_autogenerated_notice, front_matter_to_title, python_kernelspec, show_doc_to_markdown, quarto_options_to_tags, drop_tensorflow_notices): fix(page)
    index_md, name_links, count = api_index(pages)
    for page in pages.values(): internal_links(page, pages, name_links)
    sections = [('Library', sorted((p for p in pages.values() if p.kind == 'library'), key=lambda p: p.rel.as_posix())),
                ('Lessons', sorted((p for p in pages.values() if p.kind == 'lesson'), key=lambda p: number(p.rel)))]
    sections += [(folder.replace('_', ' ').capitalize(), sorted((p for p in pages.values() if p.kind == folder), key=lambda p: number(p.rel)))
                 for folder in sorted({p.kind for p in pages.values()} - {'home', 'library', 'lesson'})]
    trees = '\n'.join(toctree(caption, ps) for caption, ps in sections) + '\n```{toctree}\n:hidden:\n:caption: Reference\n\napi_index\n```\n'
    pages['index.ipynb'].nb['cells'].append(md_cell(trees))
    for page in pages.values():
        if page.nb.get('nbformat_minor', 0) >= 5:   # cell ids are required from nbformat 4.5
            for i, cell in enumerate(page.nb['cells']): cell['id'] = cell.get('id') or f'docs-{i}'
        (SRC / page.rel).parent.mkdir(parents=True, exist_ok=True)
        (SRC / page.rel).write_text(json.dumps(page.nb, indent=1, ensure_ascii=False) + '\n', encoding='utf-8')
    (SRC / 'api_index.md').write_text(index_md, encoding='utf-8')
    shutil.copytree(CONF / '_static', SRC / '_static')   # the pages' images (the Colab badge) must be in the source tree
    for asset in PROC.rglob('*'):  # images and data files next to the notebooks
        if asset.is_file() and asset.suffix not in ('.ipynb', '.py', '.md', '.qmd', '.yml', '.yaml') and not any(x.startswith(('.', '_')) for x in asset.relative_to(PROC).parts):
            (SRC / asset.relative_to(PROC)).parent.mkdir(parents=True, exist_ok=True); shutil.copy2(asset, SRC / asset.relative_to(PROC))
    log(f'step 2, fix-up -> _site_src/: {len(pages)} notebooks, {count} API names ({len(name_links)} linked to their show_doc) in {time.time() - start:.1f} s')

def sphinx_build(strict:bool=True):
    "Step 3: Sphinx renders `_site_src/` with `tools/site/conf.py` into `_docs/`."
    start, html = time.time(), SRC / '_build' / 'html'   # myst-nb writes jupyter_execute/ beside it
    command = [sys.executable, '-m', 'sphinx', '-b', 'html', '-q', '-c', str(CONF), '-d', str(SRC / '_build' / 'doctrees'), str(SRC), str(html)]
    command += ['-W', '--keep-going'] * strict
    if subprocess.run(command, cwd=ROOT).returncode:
        raise SystemExit('[docs] sphinx-build failed; see the messages above' + (' (warnings are errors; --no-strict allows them)' if strict else ''))
    shutil.rmtree(OUT, ignore_errors=True)
    shutil.move(html, OUT)
    (OUT / '.nojekyll').touch()
    log(f'step 3, sphinx-build -> {OUT.relative_to(ROOT)}/ in {time.time() - start:.1f} s')

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('command', choices=['build', 'src'], help='build: the whole site; src: stop after _site_src/')
    parser.add_argument('--clean', action='store_true', help='process every notebook again (remove _proc/ first)')
    parser.add_argument('--no-strict', action='store_true', help='do not turn Sphinx warnings into errors')
    args, start = parser.parse_args(argv), time.time()
    os.chdir(ROOT)
    if args.clean: shutil.rmtree(PROC, ignore_errors=True)
    nbdev_process(force=args.clean)
    build_source()
    if args.command == 'build': sphinx_build(strict=not args.no_strict)
    log(f'done in {time.time() - start:.1f} s' + (f': open {OUT.relative_to(ROOT)}/index.html' if args.command == 'build' else ''))

if __name__ == '__main__': main()

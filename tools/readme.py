"""Render README.md from nbs/index.ipynb (the course home page), or check that it is up to date.

    python tools/readme.py          # write README.md
    python tools/readme.py --check  # exit 1 if README.md, or a Markdown output saved in index.ipynb, is stale

README.md is the home page's Markdown cells, with each `#| echo: false` code cell replaced by the
Markdown it computes (the lessons' results table, the addresses built from settings.ini), computed
afresh here. Links to notebooks are made relative to the repository root.
"""
import ast, json, os, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from nnnotes.core import course_settings, atomic_write

INDEX = ROOT / course_settings(ROOT)['nbs_path'] / 'index.ipynb'
NOTICE = '<!-- Generated from nbs/index.ipynb by tools/readme.py: edit the notebook, not this file. -->\n\n'

def index_cells() -> list:
    return json.loads(INDEX.read_text(encoding='utf-8'))['cells']

def computed(cell) -> bool:
    "Is this a code cell shown on the page only by the Markdown it computes?"
    return cell['cell_type'] == 'code' and ''.join(cell['source']).startswith('#| echo: false')

def compute_markdown(cells) -> list:
    "The Markdown of each computed cell, run in order in one namespace (as the notebook runs)."
    os.chdir(INDEX.parent)
    namespace, results = {}, []
    for cell in filter(computed, cells):
        tree = ast.parse(''.join(cell['source']))
        *body, last = tree.body
        exec(compile(ast.Module(body, []), str(INDEX), 'exec'), namespace)
        results.append(eval(compile(ast.Expression(last.value), str(INDEX), 'eval'), namespace).data.strip())
    return results

def saved_markdown(cells) -> list:
    "The Markdown saved in the outputs of the computed cells."
    return [''.join(next((o['data']['text/markdown'] for o in cell.get('outputs', []) if 'text/markdown' in o.get('data', {})), '')).strip()
            for cell in filter(computed, cells)]

def render_readme(cells, markdown) -> str:
    "README text: Markdown cells (notebook links relative to the repository root) and computed Markdown, in order."
    parts, computed_parts = [], iter(markdown)
    for cell in cells:
        if computed(cell): parts.append(next(computed_parts))
        elif cell['cell_type'] == 'markdown':
            parts.append(re.sub(r'\]\((?!https?:|#)([^)]+\.ipynb)\)', r'](nbs/\1)', ''.join(cell['source']).strip()))
    return NOTICE + '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    cells = index_cells()
    markdown = compute_markdown(cells)
    text, readme = render_readme(cells, markdown), ROOT / 'README.md'
    if '--check' in sys.argv:
        problems = []
        if readme.read_text(encoding='utf-8') != text:
            problems.append('README.md is out of date: run `python tools/readme.py` (it is generated from nbs/index.ipynb).')
        if saved_markdown(cells) != markdown:
            problems.append("the Markdown saved in nbs/index.ipynb is out of date: run `nnnotes run nbs/index.ipynb --inplace`.")
        print('\n'.join(problems) or 'README.md and the home page match the lessons and settings.ini')
        sys.exit(1 if problems else 0)
    atomic_write(readme, text); print(f"wrote {readme}")

"""Render README.md from nbs/index.ipynb (the course home page), or check that it is up to date.

    python tools/readme.py          # write README.md
    python tools/readme.py --check  # exit 1 if README.md, or the results table saved in index.ipynb, is stale

README.md is the markdown cells of the home page, plus the lessons' results table computed afresh
from the lessons' saved outputs (where the home page has its `results_markdown()` cell).
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NOTICE = '<!-- Generated from nbs/index.ipynb by tools/readme.py: edit the notebook, not this file. -->\n\n'

def index_cells() -> list:
    return json.loads((ROOT / 'nbs' / 'index.ipynb').read_text(encoding='utf-8'))['cells']

def render_readme() -> str:
    "README text: the markdown cells of nbs/index.ipynb (links made relative to the repository root) and the results table."
    from nnnotes.cli import results_markdown
    parts = []
    for cell in index_cells():
        text = ''.join(cell['source']).strip()
        if cell['cell_type'] == 'code' and 'results_markdown(' in text: parts.append(results_markdown(ROOT).strip())
        if cell['cell_type'] != 'markdown': continue
        parts.append(re.sub(r'\]\((?!https?:|#)([^)]+\.ipynb)\)', r'](nbs/\1)', text))
    return NOTICE + '\n\n'.join(parts) + '\n'

def saved_results_table() -> str:
    "The results table as saved in the output of the home page's `results_markdown()` cell."
    for cell in index_cells():
        if cell['cell_type'] == 'code' and 'results_markdown(' in ''.join(cell['source']):
            for output in cell.get('outputs', []):
                if 'text/markdown' in output.get('data', {}): return ''.join(output['data']['text/markdown'])
    return ''

if __name__ == '__main__':
    text, readme = render_readme(), ROOT / 'README.md'
    if '--check' in sys.argv:
        from nnnotes.cli import results_markdown
        problems = []
        if readme.read_text(encoding='utf-8') != text:
            problems.append('README.md is out of date: run `python tools/readme.py` (it is generated from nbs/index.ipynb).')
        if saved_results_table().strip() != results_markdown(ROOT).strip():
            problems.append("the results table saved in nbs/index.ipynb is out of date: run `nnnotes run nbs/index.ipynb --inplace`.")
        print('\n'.join(problems) or 'README.md and the home page results match the lessons')
        sys.exit(1 if problems else 0)
    readme.write_text(text, encoding='utf-8'); print(f'wrote {readme}')

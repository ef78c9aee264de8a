# Sphinx configuration of the course site. `python tools/docs.py build` runs sphinx-build with this
# folder as its configuration folder (-c tools/site) on the processed notebooks in _site_src/.
# Names, addresses and the branch come from settings.ini through nnnotes.core.course_settings().
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from nnnotes.core import course_settings

settings = course_settings(ROOT)
project = html_title = settings['title']
author = settings['author']
copyright = settings['copyright']
release = version = settings['version']
root_doc = 'index'
extensions = ['myst_nb']
exclude_patterns = ['_build', '**.ipynb_checkpoints']
source_suffix = {'.md': 'myst-nb', '.ipynb': 'myst-nb'}

# Notebooks: show the committed outputs, never execute.
nb_execution_mode = 'off'
nb_merge_streams = True
nb_output_stderr = 'show'
myst_enable_extensions = ['dollarmath', 'amsmath', 'colon_fence', 'html_image', 'html_admonition', 'smartquotes']
myst_heading_anchors = 3
# show_doc headings (H3) often follow the page title directly; outputs with only a mime type meant
# for tools (application/vnd.nnnotes.metrics+json, the headline metrics) are not shown
suppress_warnings = ['myst.header', 'mystnb.unknown_mime_type']

html_theme = 'sphinx_book_theme'
html_static_path = ['_static']          # tools/site/_static: the site's CSS and the offline Colab badge
html_css_files = ['nnnotes.css']
html_baseurl = settings['site_url'].rstrip('/') + '/'
html_copy_source = True
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    'repository_url': settings['git_url'],
    'repository_branch': settings['branch'],
    'path_to_docs': settings['nbs_path'],
    'use_repository_button': True,
    'use_source_button': True,
    'use_issues_button': True,
    'use_download_button': True,
    'home_page_in_toc': True,
    'show_navbar_depth': 1,
    'launch_buttons': {'colab_url': 'https://colab.research.google.com', 'notebook_interface': 'classic'},
    'navigation_with_keys': False,
    'navbar_persistent': [],
}

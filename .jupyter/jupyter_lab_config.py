"""JupyterLab for this project, as `make lab` starts it: nothing is fetched
from the network.

`make lab` adds this folder to JUPYTER_CONFIG_PATH, so it applies on top of
the defaults; your own ~/.jupyter settings and workspaces stay where they are.
The browser side is in labconfig/page_config.json (the news and update-check
plugin is disabled there).
"""

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

# No news: the server never fetches JupyterLab's Atom feed
# (https://jupyterlab.github.io/assets/feed.xml).
c.LabApp.news_url = None

# No update check: the server never asks pypi.org for a newer JupyterLab.
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"

# The extension manager lists the installed extensions only: no PyPI listing,
# search or install (the environment is pinned by requirements.txt).
c.LabApp.extension_manager = "readonly"

# The kernel's channels are encrypted with keys the server makes for it, when
# its kernelspec declares CurveZMQ (the project's pinned ipykernel does; a
# kernel that does not still starts, on plain TCP, and warns in the log).
c.KernelManager.transport_encryption = "auto"
